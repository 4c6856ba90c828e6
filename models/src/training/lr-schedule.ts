import type * as tf from '@tensorflow/tfjs';

export interface PlateauOptions {
  /** Multiplies the learning rate when validation loss has not improved for `patience` epochs. */
  factor: number;
  patience: number;
  /** The rate never drops below this. */
  minLearningRate: number;
  /** Relative improvement that counts as better (0.001 = 0.1 %). */
  minRelativeDelta?: number;
}

/**
 * Reduce-on-plateau, as Keras' ReduceLROnPlateau: after `patience` epochs without a better validation
 * loss the rate is multiplied by `factor`, and the wait starts again.
 */
export class PlateauSchedule {
  private best = Number.POSITIVE_INFINITY;
  private wait = 0;
  private rate: number;

  constructor(
    initialRate: number,
    private readonly options: PlateauOptions,
  ) {
    if (!(options.factor > 0 && options.factor < 1)) throw new Error('plateau factor must be in (0, 1)');
    this.rate = initialRate;
  }

  get learningRate(): number {
    return this.rate;
  }

  /** Feeds one epoch's validation loss; returns the rate for the next epoch. */
  step(validationLoss: number): number {
    const delta = this.options.minRelativeDelta ?? 1e-3;
    if (validationLoss < this.best * (1 - delta)) {
      this.best = validationLoss;
      this.wait = 0;
      return this.rate;
    }
    this.wait++;
    if (this.wait >= this.options.patience) {
      this.rate = Math.max(this.options.minLearningRate, this.rate * this.options.factor);
      this.wait = 0;
    }
    return this.rate;
  }
}

/**
 * tfjs optimizers keep their rate in a protected field that every update reads; setting it changes
 * the step size without losing the optimizer's moments (recreating Adam would reset them).
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = rate;
}
