/** What a long training run reports as it goes; a CLI draws it, a test collects it. */
export interface EpochProgress {
  /** Ensemble member, 1-based; 1 of 1 for a single model. */
  member: number;
  members: number;
  epoch: number;
  /** The most epochs this member may run (early stopping usually ends it sooner). */
  epochs: number;
  loss: number;
  valLoss: number;
  learningRate: number;
  seconds: number;
  /** This epoch's validation loss is the best so far (its weights are kept). */
  improved: boolean;
  /** Early stopping ends the member after this epoch. */
  stopping: boolean;
}

export type ProgressListener = (progress: EpochProgress) => void;
