/**
 * Seed control for training. Everything that draws randomness while training (unit splits, batch
 * order, weight initialisers, dropout masks) takes its seed from here, so a run is repeatable from
 * one number and ensemble members differ only by the seed they are given.
 */

/** Deterministic PRNG (mulberry32): uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates in place with the given random source. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** A random permutation of 0..n-1, as int32 indices for tf.gather. */
export function permutation(n: number, random: () => number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/**
 * A seed derived from a base seed and a stream name (e.g. 'member-2/init'), so the streams of one run
 * do not share draws. FNV-1a over the name, mixed with the base.
 */
export function deriveSeed(base: number, stream: string): number {
  let h = 0x811c9dc5 ^ (base >>> 0);
  for (let i = 0; i < stream.length; i++) {
    h ^= stream.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return Math.floor(mulberry32(h >>> 0)() * 2 ** 31);
}
