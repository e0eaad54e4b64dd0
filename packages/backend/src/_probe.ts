import * as tf from '@tensorflow/tfjs';
import { initBackend } from './select-backend';
import { gemm } from './wasm/heap';
(async () => {
  await initBackend('wasm', null);
  const be = tf.backend() as any;
  const ones = tf.ones([8 * 28 * 28]);
  const cases: Array<[string, (x: tf.Tensor) => tf.Tensor]> = [
    ['ours (xnn ones, fresh x)', (x) => tf.sum(x, [0, 1, 2])],
    ['ort ones gemm (fresh x)', (x) => tf.engine().makeTensorFromTensorInfo(gemm(be, ones, x, 1, 8 * 28 * 28, 256))],
    ['sum innermost (fresh x)', (x) => tf.sum(x, 3)],
  ];
  for (const [name, f] of cases) {
    let tot = 0;
    for (let i = 0; i < 10; i++) {
      const x = tf.randomNormal([8, 28, 28, 256]); x.dataSync();
      const t = performance.now(); const y = f(x); y.dataSync(); if (i >= 3) tot += performance.now() - t; y.dispose(); x.dispose();
    }
    console.log(name, (tot / 7).toFixed(3), 'ms');
  }
})();
