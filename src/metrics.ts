import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Observer, QueueStore } from './core/ports.js';
import { FEEDBACK_VALUES, type FeedbackValue } from './core/buttons.js';
import { RISKS, type Risk } from './core/taxonomy.js';

/** Prometheus metrics for GET /metrics: what the core observes, plus gauges read at scrape time. */
export class Metrics implements Observer {
  readonly registry = new Registry();
  private messagesIn = new Counter({ name: 'helpline_messages_in_total', help: 'Messages from children', labelNames: ['channel', 'kind'], registers: [this.registry] });
  private messagesOut = new Counter({ name: 'helpline_messages_out_total', help: 'Messages delivered to children', labelNames: ['channel'], registers: [this.registry] });
  private deliveryFailures = new Counter({ name: 'helpline_delivery_failures_total', help: 'Messages that could not be delivered to a child', labelNames: ['channel'], registers: [this.registry] });
  private triage = new Counter({ name: 'helpline_triage_total', help: 'Triage results', labelNames: ['risk', 'topic'], registers: [this.registry] });
  private classifierLatency = new Histogram({
    name: 'helpline_classifier_seconds',
    help: 'Time to classify one message',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  private handoffs = new Counter({ name: 'helpline_handoffs_total', help: 'Conversations put in the counselor queue', labelNames: ['risk'], registers: [this.registry] });
  private abandonments = new Counter({ name: 'helpline_abandonments_total', help: 'Children who left the queue before a counselor came', labelNames: ['risk'], registers: [this.registry] });
  private timeToCounselor = new Histogram({
    name: 'helpline_time_to_counselor_seconds',
    help: 'Wait from entering the queue to a counselor taking the conversation',
    labelNames: ['risk'],
    buckets: [5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });

  private unacknowledged = new Counter({
    name: 'helpline_imminent_unacknowledged_total',
    help: 'Imminent conversations still unacknowledged by a supervisor after IMMINENT_ACK_SECONDS (each repeat of the alert counts)',
    registers: [this.registry],
  });
  private queueAbandons = new Counter({
    name: 'helpline_queue_abandoned_total',
    help: 'Waiting children offline longer than QUEUE_ABANDON_MINUTES who left the queue as abandoned',
    labelNames: ['risk'],
    registers: [this.registry],
  });

  private feedbacks = new Counter({
    name: 'helpline_feedback_total',
    help: 'Answers to the closing question "did the conversation help?" (helped, partly, not_helped)',
    labelNames: ['answer'],
    registers: [this.registry],
  });

  private triageErrors = new Counter({
    name: 'helpline_triage_errors_total',
    help: 'Triage failures: stage "model" (the model failed, the lexicon answered) or "fallback" (the triage threw, the lexicon answered)',
    labelNames: ['stage'],
    registers: [this.registry],
  });
  private serviceStateErrors = new Counter({
    name: 'helpline_service_state_errors_total',
    help: 'Opening hours or counselor presence could not be read (the child was told nobody is available)',
    registers: [this.registry],
  });

  constructor(store: Pick<QueueStore, 'listQueue'> & { ping(): Promise<void> }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'helpline_process_' });
    // Every answer shows from the start (0), so a dashboard's ratio never divides by a missing series.
    for (const answer of FEEDBACK_VALUES) this.feedbacks.inc({ answer }, 0);
    const registry = this.registry;
    new Gauge({
      name: 'helpline_queue_length',
      help: 'Children waiting for a counselor',
      labelNames: ['risk'],
      registers: [registry],
      async collect() {
        const queue = await store.listQueue().catch(() => null);
        if (!queue) return;
        for (const r of RISKS) this.set({ risk: r }, queue.filter((q) => q.risk === r).length);
      },
    });
    new Gauge({
      name: 'helpline_oldest_wait_seconds',
      help: 'Longest current wait in the queue, by risk (alert when imminent > 60)',
      labelNames: ['risk'],
      registers: [registry],
      async collect() {
        const queue = await store.listQueue().catch(() => null);
        if (!queue) return;
        const now = Date.now();
        for (const r of RISKS) {
          const waits = queue.filter((q) => q.risk === r).map((q) => (now - q.waitingSince) / 1000);
          this.set({ risk: r }, waits.length ? Math.max(...waits) : 0);
        }
      },
    });
    new Gauge({
      name: 'helpline_store_up',
      help: '1 when the store answers',
      registers: [registry],
      async collect() {
        this.set(await store.ping().then(() => 1, () => 0));
      },
    });
  }

  messageIn(channel: string, kind: string): void {
    this.messagesIn.inc({ channel, kind });
  }
  messageOut(channel: string): void {
    this.messagesOut.inc({ channel });
  }
  deliveryFailed(channel: string): void {
    this.deliveryFailures.inc({ channel });
  }
  triaged(risk: Risk, topic: string, seconds: number): void {
    this.triage.inc({ risk, topic });
    this.classifierLatency.observe(seconds);
  }
  triageError(stage: 'model' | 'decide' | 'fallback'): void {
    this.triageErrors.inc({ stage });
  }
  serviceStateError(): void {
    this.serviceStateErrors.inc();
  }
  handoff(risk: Risk): void {
    this.handoffs.inc({ risk });
  }
  abandoned(risk: Risk): void {
    this.abandonments.inc({ risk });
  }
  imminentUnacknowledged(): void {
    this.unacknowledged.inc();
  }
  queueAbandoned(risk: Risk): void {
    this.queueAbandons.inc({ risk });
  }
  feedback(answer: FeedbackValue): void {
    this.feedbacks.inc({ answer });
  }
  claimed(risk: Risk, waitedSeconds: number): void {
    this.timeToCounselor.observe({ risk }, waitedSeconds);
  }
}
