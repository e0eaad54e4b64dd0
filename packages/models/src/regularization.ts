import * as tf from '@tensorflow/tfjs';

/**
 * The sum of the model's kernel regularisation terms (Keras `sum(model.losses)`): for every
 * kernel with an L2 regulariser, wd · sum(w²). Zero when no layer carries one.
 */
export function regularizationLoss(model: tf.LayersModel): tf.Scalar {
  return tf.tidy(() => {
    const terms = model.calculateLosses();
    return (terms.length ? tf.addN(terms) : tf.scalar(0)) as tf.Scalar;
  });
}
