import { Rng } from '@aftercare/core';

/**
 * Seeded randomness for the generators of this folder (demo world, dispatch days, backtests): one seed,
 * one world. Core's `Rng`, except `normal`: Box–Muller, one value per call, as these generators have
 * always drawn it (core's polar method would give every seeded world that draws normals other values).
 */
export class SeededRandom extends Rng {
  /** Box–Muller, one value per call. */
  override normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
