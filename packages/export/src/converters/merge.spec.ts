import * as tf from '@tensorflow/tfjs';
import { expectParity, modelOf, randomInput } from '../spec-helpers';

type T = tf.SymbolicTensor;

const convs = (x: T, n: number): T[] =>
  Array.from({ length: n }, (_, i) => tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: `c${i}` }).apply(x) as T);

describe('merge converters', () => {
  it('Add, Multiply, Average, Maximum, Minimum of conv outputs (kept NCHW)', async () => {
    const x = randomInput([2, 4, 5, 3]);
    for (const merge of [tf.layers.add, tf.layers.multiply, tf.layers.average, tf.layers.maximum, tf.layers.minimum]) {
      await expectParity(modelOf([4, 5, 3], (i) => merge({}).apply(convs(i, 3)) as T), x);
    }
  });

  it('Add of an NCHW-stored and an NHWC-stored tensor', async () => {
    const m = modelOf([4, 5, 3], (i) => tf.layers.add({}).apply([convs(i, 1)[0], i]) as T);
    await expectParity(m, randomInput([2, 4, 5, 3]));
  });

  it('Concatenate on the channel axis and on a spatial axis', async () => {
    const x = randomInput([2, 4, 5, 3]);
    await expectParity(modelOf([4, 5, 3], (i) => tf.layers.concatenate({}).apply(convs(i, 2)) as T), x);
    await expectParity(modelOf([4, 5, 3], (i) => tf.layers.concatenate({ axis: 2 }).apply(convs(i, 2)) as T), x);
  });
});
