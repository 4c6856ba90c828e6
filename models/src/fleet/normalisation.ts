/**
 * Per-feature z-score statistics, fitted on training rows only and saved with the model. `min` and
 * `max` are kept beside them to describe the training data (and to fill `ModelMetadata`'s shape);
 * inputs are scaled with `mean` and `std` only.
 */
export interface Normalisation {
  method: 'z-score';
  mean: number[];
  std: number[];
  min: number[];
  max: number[];
}

/** Scaled values beyond this many standard deviations are clipped: one wild reading must not dominate. */
export const clipSigmas = 8;

/** Fits on `rows` × `width` values (row-major); NaN values (undefined features) are ignored. */
export function fitNormalisation(x: Float32Array | Float64Array, rows: number, width: number): Normalisation {
  const count = new Float64Array(width);
  const sum = new Float64Array(width);
  const min = new Array<number>(width).fill(Number.POSITIVE_INFINITY);
  const max = new Array<number>(width).fill(Number.NEGATIVE_INFINITY);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      const v = x[r * width + c]!;
      if (Number.isNaN(v)) continue;
      count[c]! += 1;
      sum[c]! += v;
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
    }
  }
  const mean = Array.from(sum, (s, c) => (count[c]! > 0 ? s / count[c]! : 0));
  const sq = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      const v = x[r * width + c]!;
      if (!Number.isNaN(v)) sq[c]! += (v - mean[c]!) ** 2;
    }
  }
  const std = Array.from(sq, (s, c) => {
    const sd = count[c]! > 1 ? Math.sqrt(s / (count[c]! - 1)) : 0;
    // A feature that never varied in training carries no information: scale 1 keeps it at 0.
    return sd > 1e-9 ? sd : 1;
  });
  return {
    method: 'z-score',
    mean,
    std,
    min: min.map((v) => (Number.isFinite(v) ? v : 0)),
    max: max.map((v) => (Number.isFinite(v) ? v : 0)),
  };
}

/**
 * Scales rows in place into a Float32Array: (x − mean) / std, clipped to ±clipSigmas; an undefined
 * feature becomes 0, the training mean, which is what the network saw most.
 */
export function applyNormalisation(
  norm: Normalisation,
  x: Float32Array | Float64Array,
  rows: number,
  out: Float32Array = new Float32Array(rows * norm.mean.length),
): Float32Array {
  const width = norm.mean.length;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      const v = x[r * width + c]!;
      const z = Number.isNaN(v) ? 0 : (v - norm.mean[c]!) / norm.std[c]!;
      out[r * width + c] = Math.min(clipSigmas, Math.max(-clipSigmas, z));
    }
  }
  return out;
}
