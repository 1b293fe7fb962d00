/**
 * Writes the trained Net as an ONNX graph (IR 7, opset 13, which onnxruntime-node 1.14 runs):
 *   Gather(embeddings, input_ids) → mean over tokens where attention_mask=1 and the id is not a
 *   special token → [MatMul → Add → Relu] → MatMul → Add → logits.
 * Inputs input_ids / attention_mask are int64 [batch, sequence]; outputs are logits
 * [batch, labels] and last_hidden_state [batch, sequence, dim] (for feature extraction).
 * With a risk output, `logits` is [intent log-probabilities, risk log-probabilities]: the
 * pipeline's softmax over it gives each intent and each risk level half its own probability, so
 * both are read exactly from one ordinary text-classification call (transformers.js keeps only
 * the `logits` output of a sequence classifier).
 */
import onnxProto from 'onnx-proto';
import type { Net } from './net.js';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

function floatTensor(name: string, dims: number[], data: Float32Array): onnxProto.onnx.ITensorProto {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { name, dims, dataType: FLOAT, rawData: bytes };
}

function int64Tensor(name: string, dims: number[], values: number[]): onnxProto.onnx.ITensorProto {
  const buf = new BigInt64Array(values.map((v) => BigInt(v)));
  return { name, dims, dataType: INT64, rawData: new Uint8Array(buf.buffer) };
}

function node(op: string, inputs: string[], outputs: string[], attrs: onnxProto.onnx.IAttributeProto[] = []): onnxProto.onnx.INodeProto {
  return { opType: op, input: inputs, output: outputs, name: `${op}_${outputs[0]}`, attribute: attrs };
}

function intAttr(name: string, i: number): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/**
 * Encodes the model. Temperature is folded into the last layer, so the logits the graph
 * returns are already calibrated. `firstPooledId`: ids below it are special and never pooled.
 */
export function exportOnnx(net: Net, firstPooledId: number, docString = ''): Uint8Array {
  const { vocab, dim, hidden, labels } = net.shape;
  const in2 = hidden > 0 ? hidden : dim;
  const t = net.temperature;
  const w2 = net.w2.map((v) => v / t);
  const b2 = net.b2.map((v, k) => v / t + (net.logitShift?.[k] ?? 0));

  const initializer: onnxProto.onnx.ITensorProto[] = [
    floatTensor('embeddings', [vocab, dim], net.emb),
    floatTensor('out_w', [in2, labels], w2),
    floatTensor('out_b', [labels], b2),
    int64Tensor('last_special_id', [], [firstPooledId - 1]),
    int64Tensor('axis_seq', [1], [1]),
    int64Tensor('axis_feat', [1], [2]),
    floatTensor('one', [], new Float32Array([1])),
  ];
  const nodes: onnxProto.onnx.INodeProto[] = [
    node('Gather', ['embeddings', 'input_ids'], ['last_hidden_state'], [intAttr('axis', 0)]),
    node('Greater', ['input_ids', 'last_special_id'], ['is_text']),
    node('Cast', ['is_text'], ['is_text_i64'], [intAttr('to', INT64)]),
    node('Mul', ['is_text_i64', 'attention_mask'], ['pool_mask_i64']),
    node('Cast', ['pool_mask_i64'], ['pool_mask'], [intAttr('to', FLOAT)]),
    node('Unsqueeze', ['pool_mask', 'axis_feat'], ['pool_mask_3d']),
    node('Mul', ['last_hidden_state', 'pool_mask_3d'], ['masked']),
    node('ReduceSum', ['masked', 'axis_seq'], ['summed'], [intAttr('keepdims', 0)]),
    node('ReduceSum', ['pool_mask', 'axis_seq'], ['count'], [intAttr('keepdims', 1)]),
    node('Max', ['count', 'one'], ['count_safe']),
    node('Div', ['summed', 'count_safe'], ['pooled']),
  ];
  let feat = 'pooled';
  if (hidden > 0) {
    initializer.push(floatTensor('hidden_w', [dim, hidden], net.w1), floatTensor('hidden_b', [hidden], net.b1));
    nodes.push(
      node('MatMul', ['pooled', 'hidden_w'], ['hidden_mm']),
      node('Add', ['hidden_mm', 'hidden_b'], ['hidden_pre']),
      node('Relu', ['hidden_pre'], ['hidden']),
    );
    feat = 'hidden';
  }
  const risks = net.risks;
  if (risks === 0) nodes.push(node('MatMul', [feat, 'out_w'], ['out_mm']), node('Add', ['out_mm', 'out_b'], ['logits']));
  else {
    const rt = net.riskTemperature;
    initializer.push(
      floatTensor('risk_w', [in2, risks], net.wr.map((v) => v / rt)),
      floatTensor('risk_u', [labels, risks], net.ur.map((v) => v / rt)),
      floatTensor('risk_b', [risks], net.br.map((v, k) => v / rt + (net.riskShift?.[k] ?? 0))),
      floatTensor('raw_w', [in2, labels], net.w2),
      floatTensor('raw_b', [labels], net.b2),
    );
    nodes.push(
      node('MatMul', [feat, 'out_w'], ['out_mm']),
      node('Add', ['out_mm', 'out_b'], ['intent_logits']),
      node('LogSoftmax', ['intent_logits'], ['intent_logp'], [intAttr('axis', 1)]),
      // The risk output reads the intent probabilities as trained (no temperature, no prior shift).
      node('MatMul', [feat, 'raw_w'], ['raw_mm']),
      node('Add', ['raw_mm', 'raw_b'], ['raw_logits']),
      node('Softmax', ['raw_logits'], ['intent_p'], [intAttr('axis', 1)]),
      node('MatMul', [feat, 'risk_w'], ['risk_mm']),
      node('MatMul', ['intent_p', 'risk_u'], ['risk_um']),
      node('Add', ['risk_mm', 'risk_um'], ['risk_feat']),
      node('Add', ['risk_feat', 'risk_b'], ['risk_logits']),
      node('LogSoftmax', ['risk_logits'], ['risk_logp'], [intAttr('axis', 1)]),
      node('Concat', ['intent_logp', 'risk_logp'], ['logits'], [intAttr('axis', 1)]),
    );
  }

  const model: onnxProto.onnx.IModelProto = {
    irVersion: 7,
    producerName: 'helpline-front-door',
    producerVersion: '1',
    docString,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'triage',
      node: nodes,
      initializer,
      input: [valueInfo('input_ids', INT64, ['batch', 'sequence']), valueInfo('attention_mask', INT64, ['batch', 'sequence'])],
      output: [valueInfo('logits', FLOAT, ['batch', labels + risks]), valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', dim])],
    },
  };
  const err = onnx.ModelProto.verify(model);
  if (err) throw new Error(`ONNX model does not verify: ${err}`);
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
