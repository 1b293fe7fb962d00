import WebSocket from 'ws';

export interface Frame {
  type: string;
  [key: string]: unknown;
}

/** A test client for the web chat: collects frames and waits for the ones a test expects. */
export class ChatClient {
  frames: Frame[] = [];
  private waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Frame;
      this.frames.push(f);
      this.waiters = this.waiters.filter((w) => {
        if (w.pred(f)) {
          w.resolve(f);
          return false;
        }
        return true;
      });
    });
    ws.on('close', () => (this.closed = true));
  }

  static async connect(baseUrl: string, query = ''): Promise<ChatClient> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/webchat/ws${query}`);
    const client = new ChatClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Resolves with the first frame (already received after `from`, or future) that matches. */
  waitFor(pred: (f: Frame) => boolean, ms = 3000, from = 0): Promise<Frame> {
    const seen = this.frames.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(this.frames.slice(-5))}`)), ms);
      this.waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  messages(from = 0): string[] {
    return this.frames.slice(from).filter((f) => f.type === 'message').map((f) => String(f.text));
  }

  close(): void {
    this.ws.close();
  }
}
