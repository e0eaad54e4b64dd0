import * as tf from '@tensorflow/tfjs';

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;
type Regularizer = ReturnType<typeof tf.regularizers.l2>;

/**
 * What every layer-building function needs: seeded initialisers (each call gets `seed + n`, so a
 * model built twice with the same seed has the same weights) and the kernel regulariser.
 */
export class BuildContext {
  private n = 0;

  constructor(
    readonly seed: number | undefined,
    /** L2 factor for kernels; applied to backbone kernels only when `decayAll`. */
    readonly weightDecay: number,
    readonly decayAll: boolean,
  ) {}

  private nextSeed(): number | undefined {
    return this.seed === undefined ? undefined : this.seed + this.n++;
  }

  /** Keras' default kernel initialiser (glorot_uniform). */
  glorotUniform(): Initializer {
    return tf.initializers.glorotUniform({ seed: this.nextSeed() });
  }

  /** He normal (truncated normal, stddev sqrt(2 / fan_in)), as Keras' HeNormal. */
  heNormal(): Initializer {
    return tf.initializers.heNormal({ seed: this.nextSeed() });
  }

  /** The regulariser for a backbone kernel (only with weightDecayScope 'all'). */
  backboneRegularizer(): Regularizer | undefined {
    return this.decayAll && this.weightDecay > 0 ? tf.regularizers.l2({ l2: this.weightDecay }) : undefined;
  }

  /** The regulariser for an embedding-path kernel (always, when weightDecay > 0). */
  embeddingRegularizer(): Regularizer | undefined {
    return this.weightDecay > 0 ? tf.regularizers.l2({ l2: this.weightDecay }) : undefined;
  }
}
