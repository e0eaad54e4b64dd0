import * as tf from '@tensorflow/tfjs';
import type { ConvertContext } from './context';
import { converters } from './registry';
import type { Value } from './value';

type Sym = tf.SymbolicTensor;

function isContainer(layer: tf.layers.Layer): layer is tf.LayersModel {
  return layer instanceof tf.LayersModel;
}

function shapeOf(t: Sym): (number | null)[] {
  return [...t.shape];
}

/**
 * Converts the graph from `inputs` (bound to `inputValues`) to `outputs`: a depth-first walk over
 * the Keras nodes (layer + call index) that emits every call after the calls it reads from, so
 * nodes come out in topological order. Nested models are walked in place under a name prefix.
 */
export function convertGraph(ctx: ConvertContext, inputs: Sym[], inputValues: Value[], outputs: Sym[], prefix = ''): Value[] {
  const values = new Map<number, Value>();
  inputs.forEach((t, i) => values.set(t.id, inputValues[i]));

  const valueOf = (t: Sym): Value => {
    const known = values.get(t.id);
    if (known) return known;
    const layer = t.sourceLayer;
    const node = layer.inboundNodes[t.nodeIndex];
    if (!node || layer.getClassName() === 'InputLayer') {
      throw new Error(`layer '${layer.name}' (${layer.getClassName()}): reached a graph input that is not the model's input`);
    }
    const ins = node.inputTensors.map(valueOf);
    const name = `${prefix}${layer.name}${layer.inboundNodes.length > 1 ? `_call${t.nodeIndex}` : ''}`;
    const outs = convertCall(ctx, layer, ins, node.outputTensors, name);
    node.outputTensors.forEach((o, i) => values.set(o.id, outs[i]));
    return values.get(t.id) as Value;
  };
  return outputs.map(valueOf);
}

function convertCall(ctx: ConvertContext, layer: tf.layers.Layer, inputs: Value[], outputs: Sym[], name: string): Value[] {
  if (isContainer(layer)) {
    const inner = convertGraph(ctx, layer.inputs, inputs, layer.outputs, `${name}/`);
    return inner.map((v, i) => ({ ...v, shape: shapeOf(outputs[i]) }));
  }
  const className = layer.getClassName();
  const converter = converters.get(className);
  if (!converter) {
    throw new Error(
      `layer '${layer.name}' (class ${className}) has no ONNX converter; supported classes: ${[...converters.keys()].sort().join(', ')}`,
    );
  }
  const outs = converter({
    layer,
    config: layer.getConfig() as Record<string, unknown>,
    inputs,
    outputShapes: outputs.map(shapeOf),
    name,
    ctx,
  });
  if (outs.length !== outputs.length) {
    throw new Error(`layer '${layer.name}' (${className}): converter gave ${outs.length} outputs, the layer has ${outputs.length}`);
  }
  return outs;
}
