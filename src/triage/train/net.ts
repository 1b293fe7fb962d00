/**
 * The classifier: a mean-pooled bag of WordPiece embeddings (special tokens excluded), one ReLU
 * hidden layer (or none), a linear layer to intent logits. Trained with Adam (lazy for the
 * embedding rows a batch touches), label smoothing and decoupled weight decay.
 * The forward pass here is exactly the ONNX graph that onnx-export.ts writes.
 */

export interface NetShape {
  vocab: number;
  dim: number;
  /** 0 = linear softmax over the pooled embedding. */
  hidden: number;
  labels: number;
  /**
   * Label groupings (e.g. each intent's topic, each intent's risk): group[k] is label k's group.
   * Every group gets its own output weights, added to the logits of its labels, so that what a
   * topic's intents share is learnt from all of them. Folded into the label weights on export.
   */
  groups?: number[][];
  /** Token ids below this are special ([PAD], [UNK], [CLS], ...) and never pooled. */
  firstPooled?: number;
  /**
   * Classes of a second output, trained on each example's own risk level (0 = no such output).
   * Risk then no longer follows from the intent: one subject can be low, medium or imminent.
   * Its logits read the features and the intent probabilities (as fixed inputs: no gradient
   * flows back through them), so it can learn "this intent is usually high" and, from the words,
   * when an example of that intent is not.
   */
  risks?: number;
}

export interface TrainOptions {
  epochs: number;
  batch: number;
  lr: number;
  weightDecay: number;
  labelSmoothing: number;
  /** Probability of dropping each token of an example (at least one token stays). */
  tokenDropout: number;
  /** Weight of the risk output's loss next to the intent loss (when the net has one; default 1). */
  riskLoss?: number;
}

/** A trained Net as plain data: passes between threads (its arrays can be transferred). */
export interface NetData {
  shape: NetShape;
  emb: Float32Array;
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
  outCols: number;
  groups: number[][];
  temperature: number;
  logitShift: Float32Array | null;
  wr: Float32Array;
  br: Float32Array;
  ur: Float32Array;
  riskTemperature: number;
  riskShift: Float32Array | null;
}

export class Net {
  readonly emb: Float32Array;
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
  /** Output columns: labels, then each grouping's groups. */
  outCols: number;
  groups: number[][];
  /** Logits are divided by this (temperature scaling); baked into w2/b2 on export. */
  temperature = 1;
  /** Added to the logits after the temperature (prior-shift correction); baked into b2 on export. */
  logitShift: Float32Array | null = null;
  /** Risk output: weights [in, risks], weights from intent probabilities [labels, risks], bias, its own temperature and prior shift. */
  wr: Float32Array;
  br: Float32Array;
  ur: Float32Array;
  riskTemperature = 1;
  riskShift: Float32Array | null = null;

  constructor(
    readonly shape: NetShape,
    rand: () => number,
  ) {
    const { vocab, dim, hidden, labels } = shape;
    const gauss = () => {
      const u = Math.max(rand(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    };
    const init = (n: number, scale: number) => {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = gauss() * scale;
      return a;
    };
    this.emb = init(vocab * dim, 0.1);
    const in2 = hidden > 0 ? hidden : dim;
    this.w1 = hidden > 0 ? init(dim * hidden, Math.sqrt(2 / dim)) : new Float32Array(0);
    this.b1 = new Float32Array(hidden);
    this.groups = shape.groups ?? [];
    this.outCols = labels + this.groups.reduce((n, g) => n + (Math.max(-1, ...g) + 1), 0);
    this.w2 = init(in2 * this.outCols, Math.sqrt(1 / in2));
    this.b2 = new Float32Array(this.outCols);
    const risks = shape.risks ?? 0;
    this.wr = risks > 0 ? init(in2 * risks, Math.sqrt(1 / in2)) : new Float32Array(0);
    this.br = new Float32Array(risks);
    this.ur = new Float32Array(labels * risks);
  }

  get risks(): number {
    return this.shape.risks ?? 0;
  }

  toData(): NetData {
    const { shape, emb, w1, b1, w2, b2, outCols, groups, temperature, logitShift, wr, br, ur, riskTemperature, riskShift } = this;
    return { shape, emb, w1, b1, w2, b2, outCols, groups, temperature, logitShift, wr, br, ur, riskTemperature, riskShift };
  }

  static fromData(d: NetData): Net {
    const net = new Net({ ...d.shape, vocab: 0, groups: undefined, risks: 0 }, () => 0.5);
    Object.assign(net, { shape: d.shape, emb: d.emb, w1: d.w1, b1: d.b1, w2: d.w2, b2: d.b2, outCols: d.outCols, groups: d.groups, wr: d.wr, br: d.br, ur: d.ur });
    net.temperature = d.temperature;
    net.logitShift = d.logitShift;
    net.riskTemperature = d.riskTemperature;
    net.riskShift = d.riskShift;
    return net;
  }

  /** The features the output layers read: the pooled embedding, or the hidden layer. */
  private featuresOf(ids: ArrayLike<number>): Float32Array {
    const { dim, hidden } = this.shape;
    const pooled = new Float32Array(dim);
    pool(this.emb, dim, this.features(ids), pooled);
    if (hidden === 0) return pooled;
    const feat = new Float32Array(hidden);
    dense(pooled, this.w1, this.b1, dim, hidden, feat);
    for (let j = 0; j < hidden; j++) if (feat[j]! < 0) feat[j] = 0;
    return feat;
  }

  /** Risk logits (its temperature and prior shift applied); empty when the net has no risk output. */
  riskLogits(ids: ArrayLike<number>): Float32Array {
    const r = this.risks;
    const out = new Float32Array(r);
    if (!r) return out;
    const feat = this.featuresOf(ids);
    dense(feat, this.wr, this.br, feat.length, r, out);
    // The intent probabilities as trained: before temperature and prior shift.
    const raw = new Float32Array(this.shape.labels);
    this.rawLogits(feat, raw);
    softmaxInPlace(raw);
    addDense(raw, this.ur, raw.length, r, out);
    for (let k = 0; k < r; k++) out[k] = out[k]! / this.riskTemperature + (this.riskShift?.[k] ?? 0);
    return out;
  }

  riskProbs(ids: ArrayLike<number>): Float32Array {
    return softmaxInPlace(this.riskLogits(ids));
  }

  /** Intent logits from features, before temperature and prior shift. */
  private rawLogits(feat: Float32Array, out: Float32Array): void {
    const { labels } = this.shape;
    if (this.outCols === labels) dense(feat, this.w2, this.b2, feat.length, labels, out);
    else {
      const z = new Float32Array(this.outCols);
      dense(feat, this.w2, this.b2, feat.length, this.outCols, z);
      combine(z, this.groups, labels, out);
    }
  }

  /** Pools token ids (already without special tokens) and returns logits (temperature applied). */
  logits(ids: ArrayLike<number>, out = new Float32Array(this.shape.labels)): Float32Array {
    const { labels } = this.shape;
    const feat = this.featuresOf(ids);
    if (this.outCols === labels) dense(feat, this.w2, this.b2, feat.length, labels, out);
    else {
      const z = new Float32Array(this.outCols);
      dense(feat, this.w2, this.b2, feat.length, this.outCols, z);
      combine(z, this.groups, labels, out);
    }
    if (this.temperature !== 1) for (let k = 0; k < labels; k++) out[k] = out[k]! / this.temperature;
    if (this.logitShift) for (let k = 0; k < labels; k++) out[k]! += this.logitShift[k]!;
    return out;
  }

  /** The pooled rows of a token sequence: its text tokens (as the ONNX mask does). */
  features(ids: ArrayLike<number>): number[] {
    const first = this.shape.firstPooled ?? 0;
    const out: number[] = [];
    for (let t = 0; t < ids.length; t++) if (ids[t]! >= first) out.push(ids[t]!);
    return out;
  }

  probs(ids: ArrayLike<number>): Float32Array {
    return softmaxInPlace(this.logits(ids));
  }

  /** Adds each group's weights into its labels' weights: same logits, plain [in, labels] layer. */
  fold(): void {
    const { labels, hidden, dim } = this.shape;
    if (this.outCols === labels) return;
    const in2 = hidden > 0 ? hidden : dim;
    const w = new Float32Array(in2 * labels);
    const b = new Float32Array(labels);
    for (let k = 0; k < labels; k++) {
      const cols = [k];
      let off = labels;
      for (const g of this.groups) {
        cols.push(off + g[k]!);
        off += Math.max(-1, ...g) + 1;
      }
      for (const c of cols) {
        b[k]! += this.b2[c]!;
        for (let i = 0; i < in2; i++) w[i * labels + k]! += this.w2[i * this.outCols + c]!;
      }
    }
    this.w2 = w;
    this.b2 = b;
    this.outCols = labels;
    this.groups = [];
  }
}

/** Label logits from output columns: own column plus each of its groups' columns. */
function combine(z: Float32Array, groups: number[][], labels: number, out: Float32Array): void {
  for (let k = 0; k < labels; k++) out[k] = z[k]!;
  let off = labels;
  for (const g of groups) {
    for (let k = 0; k < labels; k++) out[k]! += z[off + g[k]!]!;
    off += Math.max(-1, ...g) + 1;
  }
}

/** The gradient of the output columns from the gradient of the label logits. */
function spread(d: Float32Array, groups: number[][], labels: number, dz: Float32Array): void {
  dz.fill(0);
  for (let k = 0; k < labels; k++) dz[k] = d[k]!;
  let off = labels;
  for (const g of groups) {
    for (let k = 0; k < labels; k++) dz[off + g[k]!]! += d[k]!;
    off += Math.max(-1, ...g) + 1;
  }
}

function pool(emb: Float32Array, dim: number, ids: ArrayLike<number>, out: Float32Array): void {
  out.fill(0);
  const n = ids.length;
  if (n === 0) return;
  for (let t = 0; t < n; t++) {
    const off = ids[t]! * dim;
    for (let d = 0; d < dim; d++) out[d]! += emb[off + d]!;
  }
  const inv = 1 / n;
  for (let d = 0; d < dim; d++) out[d]! *= inv;
}

/** out += x · W, with W stored row-major [in, out]. */
function addDense(x: Float32Array, w: Float32Array, nIn: number, nOut: number, out: Float32Array): void {
  for (let i = 0; i < nIn; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const off = i * nOut;
    for (let j = 0; j < nOut; j++) out[j]! += xi * w[off + j]!;
  }
}

/** out = x · W + b, with W stored row-major [in, out]. */
function dense(x: Float32Array, w: Float32Array, b: Float32Array, nIn: number, nOut: number, out: Float32Array): void {
  out.set(b);
  for (let i = 0; i < nIn; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const off = i * nOut;
    for (let j = 0; j < nOut; j++) out[j]! += xi * w[off + j]!;
  }
}

export function softmaxInPlace(a: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of a) if (v > max) max = v;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.exp(a[i]! - max);
    a[i] = e;
    sum += e;
  }
  for (let i = 0; i < a.length; i++) a[i]! /= sum;
  return a;
}

class Adam {
  readonly m: Float32Array;
  readonly v: Float32Array;
  constructor(n: number) {
    this.m = new Float32Array(n);
    this.v = new Float32Array(n);
  }
  /** Updates p[from..to) from g[from..to). */
  step(p: Float32Array, g: Float32Array, from: number, to: number, lr: number, t: number, decay: number): void {
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 - Math.pow(b1, t);
    const c2 = 1 - Math.pow(b2, t);
    const m = this.m;
    const v = this.v;
    for (let i = from; i < to; i++) {
      const gi = g[i]!;
      const mi = (m[i] = b1 * m[i]! + (1 - b1) * gi);
      const vi = (v[i] = b2 * v[i]! + (1 - b2) * gi * gi);
      p[i] = p[i]! - lr * ((mi / c1) / (Math.sqrt(vi / c2) + 1e-8) + decay * p[i]!);
    }
  }
}

export interface Example {
  /** Token ids without special tokens; a function so that every epoch sees fresh augmentation. */
  ids: () => number[];
  label: number;
  weight: number;
  /** The example's risk class for the risk output (ignored when the net has none). */
  risk?: number;
}

/**
 * Trains in place. `order` shuffles example indices each epoch (seeded by the caller).
 * Returns the mean training loss of the last epoch.
 */
export function train(
  net: Net,
  examples: Example[],
  opt: TrainOptions,
  rand: () => number,
  progress?: (epoch: number, loss: number) => void,
): number {
  const { dim, hidden, labels } = net.shape;
  const in2 = hidden > 0 ? hidden : dim;
  const rows = net.emb.length / dim;
  const gEmb = new Float32Array(rows * dim);
  const touched = new Uint8Array(rows);
  const touchedList: number[] = [];
  const gW1 = new Float32Array(net.w1.length);
  const gB1 = new Float32Array(hidden);
  const cols = net.outCols;
  const gW2 = new Float32Array(net.w2.length);
  const gB2 = new Float32Array(cols);
  const R = net.risks;
  const gWr = new Float32Array(net.wr.length);
  const gBr = new Float32Array(R);
  const aWr = new Adam(net.wr.length);
  const aBr = new Adam(R);
  const gUr = new Float32Array(net.ur.length);
  const aUr = new Adam(net.ur.length);
  const rLogits = new Float32Array(R);
  const dR = new Float32Array(R);
  const wr = net.wr;
  const riskLoss = opt.riskLoss ?? 1;
  const aEmb = new Adam(net.emb.length);
  const aW1 = new Adam(net.w1.length);
  const aB1 = new Adam(hidden);
  const aW2 = new Adam(net.w2.length);
  const aB2 = new Adam(cols);

  const pooled = new Float32Array(dim);
  const h = new Float32Array(in2);
  const logits = new Float32Array(labels);
  const dLogits = new Float32Array(labels);
  const z = new Float32Array(cols);
  const dz = new Float32Array(cols);
  const dH = new Float32Array(in2);
  const dPooled = new Float32Array(dim);
  const order = examples.map((_, i) => i);
  const w1 = net.w1;
  const w2 = net.w2;
  const eps = opt.labelSmoothing;
  let step = 0;
  let lastLoss = 0;

  for (let epoch = 0; epoch < opt.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    // Cosine decay of the learning rate over the run.
    let lossSum = 0;
    let weightSum = 0;
    for (let startB = 0; startB < order.length; startB += opt.batch) {
      const progressFrac = (epoch + startB / order.length) / opt.epochs;
      const lr = opt.lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progressFrac)));
      const end = Math.min(order.length, startB + opt.batch);
      let batchWeight = 0;
      for (let bi = startB; bi < end; bi++) batchWeight += examples[order[bi]!]!.weight;
      for (let bi = startB; bi < end; bi++) {
        const ex = examples[order[bi]!]!;
        let ids = net.features(ex.ids());
        if (opt.tokenDropout > 0 && ids.length > 1) {
          const kept = ids.filter(() => rand() >= opt.tokenDropout);
          ids = kept.length ? kept : [ids[Math.floor(rand() * ids.length)]!];
        }
        const scale = ex.weight / batchWeight;
        // forward
        pool(net.emb, dim, ids, pooled);
        if (hidden > 0) {
          dense(pooled, net.w1, net.b1, dim, hidden, h);
          for (let j = 0; j < hidden; j++) if (h[j]! < 0) h[j] = 0;
        } else h.set(pooled);
        if (cols === labels) dense(h, net.w2, net.b2, in2, labels, logits);
        else {
          dense(h, net.w2, net.b2, in2, cols, z);
          combine(z, net.groups, labels, logits);
        }
        softmaxInPlace(logits);
        const p = logits;
        lossSum += -Math.log(Math.max(p[ex.label]!, 1e-12)) * ex.weight;
        weightSum += ex.weight;
        for (let k = 0; k < labels; k++) dLogits[k] = (p[k]! - (eps / labels + (k === ex.label ? 1 - eps : 0))) * scale;
        // Risk output: its own cross-entropy on the example's risk level, from the same features.
        const riskOn = R > 0 && ex.risk !== undefined;
        if (riskOn) {
          dense(h, net.wr, net.br, in2, R, rLogits);
          addDense(p, net.ur, labels, R, rLogits);
          softmaxInPlace(rLogits);
          lossSum += -Math.log(Math.max(rLogits[ex.risk!]!, 1e-12)) * ex.weight * riskLoss;
          const rs = scale * riskLoss;
          for (let k = 0; k < R; k++) dR[k] = (rLogits[k]! - (eps / R + (k === ex.risk ? 1 - eps : 0))) * rs;
          for (let k = 0; k < R; k++) gBr[k]! += dR[k]!;
          for (let l = 0; l < labels; l++) {
            const pl = p[l]!;
            if (pl < 1e-6) continue;
            const off = l * R;
            for (let k = 0; k < R; k++) gUr[off + k]! += pl * dR[k]!;
          }
        }
        // backward: output layer (a ReLU unit at zero passes no gradient: skip its row)
        if (cols === labels) dz.set(dLogits);
        else spread(dLogits, net.groups, labels, dz);
        for (let k = 0; k < cols; k++) gB2[k]! += dz[k]!;
        for (let i2 = 0; i2 < in2; i2++) {
          const hi = h[i2]!;
          if (hidden > 0 && hi <= 0) {
            dH[i2] = 0;
            continue;
          }
          const off = i2 * cols;
          let acc = 0;
          for (let k = 0; k < cols; k++) {
            const dk = dz[k]!;
            gW2[off + k]! += hi * dk;
            acc += w2[off + k]! * dk;
          }
          if (riskOn) {
            const offR = i2 * R;
            for (let k = 0; k < R; k++) {
              const dk = dR[k]!;
              gWr[offR + k]! += hi * dk;
              acc += wr[offR + k]! * dk;
            }
          }
          dH[i2] = acc;
        }
        // hidden layer
        if (hidden > 0) {
          for (let j = 0; j < hidden; j++) gB1[j]! += dH[j]!;
          for (let d = 0; d < dim; d++) {
            const pd = pooled[d]!;
            const off = d * hidden;
            let acc = 0;
            for (let j = 0; j < hidden; j++) {
              const dj = dH[j]!;
              gW1[off + j]! += pd * dj;
              acc += w1[off + j]! * dj;
            }
            dPooled[d] = acc;
          }
        } else dPooled.set(dH);
        // embeddings
        const inv = 1 / Math.max(ids.length, 1);
        for (const id of ids) {
          if (!touched[id]) {
            touched[id] = 1;
            touchedList.push(id);
          }
          const off = id * dim;
          for (let d = 0; d < dim; d++) gEmb[off + d]! += dPooled[d]! * inv;
        }
      }
      step++;
      aW2.step(net.w2, gW2, 0, gW2.length, lr, step, opt.weightDecay);
      aB2.step(net.b2, gB2, 0, cols, lr, step, 0);
      if (R > 0) {
        aWr.step(net.wr, gWr, 0, gWr.length, lr, step, opt.weightDecay);
        aBr.step(net.br, gBr, 0, R, lr, step, 0);
        aUr.step(net.ur, gUr, 0, gUr.length, lr, step, 0);
        gWr.fill(0);
        gBr.fill(0);
        gUr.fill(0);
      }
      if (hidden > 0) {
        aW1.step(net.w1, gW1, 0, gW1.length, lr, step, opt.weightDecay);
        aB1.step(net.b1, gB1, 0, hidden, lr, step, 0);
      }
      for (const id of touchedList) {
        aEmb.step(net.emb, gEmb, id * dim, (id + 1) * dim, lr, step, opt.weightDecay);
        gEmb.fill(0, id * dim, (id + 1) * dim);
        touched[id] = 0;
      }
      touchedList.length = 0;
      gW2.fill(0);
      gB2.fill(0);
      gW1.fill(0);
      gB1.fill(0);
    }
    lastLoss = lossSum / Math.max(weightSum, 1e-9);
    progress?.(epoch + 1, lastLoss);
  }
  return lastLoss;
}
