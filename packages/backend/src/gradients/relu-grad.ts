/**
 * The gradient of `Relu`, dy·step(x) as tfjs-core's, in one pass on the native kernels where the
 * backend has them (tfjs-core runs Step, Cast and Multiply: three passes and two temporaries).
 */
import * as tf from '@tensorflow/tfjs';
import { nativeKernelReady, RELU_GRAD } from '../wasm/native-kernels';

export const reluGradConfig: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    const d = dy as tf.Tensor;
    const [x] = saved;
    return {
      x: () =>
        d.dtype === 'float32' && x.dtype === 'float32' && nativeKernelReady(RELU_GRAD)
          ? (tf.engine().runKernel(RELU_GRAD, { dy: d, x }) as tf.Tensor)
          : tf.mul(d, tf.cast(tf.step(x), 'float32')),
    };
  },
};
