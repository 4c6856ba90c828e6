/**
 * Range statistics over one bucketed series with gaps, in O(1) per query after O(n log n) set-up:
 * prefix sums for count, mean, variance and the least-squares slope, sparse tables for min and max.
 * Values are shifted by the series' first value before summing, so a constant series has a
 * variance of exactly 0 and long series lose no precision.
 */
export interface RangeStats {
  count: number;
  mean: number;
  std: number;
  /** Least-squares slope per bucket (NaN with fewer than 2 values). */
  slopePerBucket: number;
  min: number;
  max: number;
}

// Offsets of the six prefix sums in one buffer (scoring builds thousands of these: few allocations).
const CNT = 0;
const SX = 1;
const SXX = 2;
const ST = 3;
const STT = 4;
const STX = 5;

export class SeriesIndex {
  readonly length: number;
  private readonly ref: number;
  /** Six interleaved prefix sums: prefix[(i * 6) + k] is sum k over buckets [0, i). */
  private readonly prefix: Float64Array;
  private readonly values: readonly (number | null)[];
  private readonly maxRange: number;
  /**
   * Sparse tables, level by level (level l: min/max over 2^l buckets from each start), built on
   * demand: a scoring run asks a handful of ranges, cheaper to scan than to index; training asks
   * hundreds.
   */
  private mins: Float64Array | null = null;
  private maxs: Float64Array | null = null;
  private levels = 0;
  private scans = 0;

  /** `maxRange`: the longest range that will be asked for min/max (bounds the sparse tables). */
  constructor(values: readonly (number | null)[], maxRange: number) {
    const n = values.length;
    this.length = n;
    let ref = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v !== null && v !== undefined && Number.isFinite(v)) {
        ref = v;
        break;
      }
    }
    this.ref = ref;
    const prefix = new Float64Array((n + 1) * 6);
    let cnt = 0;
    let sx = 0;
    let sxx = 0;
    let st = 0;
    let stt = 0;
    let stx = 0;
    for (let i = 0; i < n; i++) {
      const raw = values[i];
      if (raw !== null && raw !== undefined && Number.isFinite(raw)) {
        const x = raw - ref;
        cnt += 1;
        sx += x;
        sxx += x * x;
        st += i;
        stt += i * i;
        stx += i * x;
      }
      const o = (i + 1) * 6;
      prefix[o + CNT] = cnt;
      prefix[o + SX] = sx;
      prefix[o + SXX] = sxx;
      prefix[o + ST] = st;
      prefix[o + STT] = stt;
      prefix[o + STX] = stx;
    }
    this.prefix = prefix;
    this.values = values;
    this.maxRange = maxRange;
  }

  private buildTables(): void {
    const n = this.length;
    let levels = 1;
    while (2 ** levels <= Math.min(this.maxRange, n)) levels++;
    const mins = new Float64Array(levels * n);
    const maxs = new Float64Array(levels * n);
    for (let i = 0; i < n; i++) {
      const raw = this.values[i];
      const ok = raw !== null && raw !== undefined && Number.isFinite(raw);
      mins[i] = ok ? raw : Number.POSITIVE_INFINITY;
      maxs[i] = ok ? raw : Number.NEGATIVE_INFINITY;
    }
    for (let l = 1; l < levels; l++) {
      const half = 2 ** (l - 1);
      const from = (l - 1) * n;
      const to = l * n;
      for (let i = 0; i + 2 * half <= n; i++) {
        mins[to + i] = Math.min(mins[from + i]!, mins[from + i + half]!);
        maxs[to + i] = Math.max(maxs[from + i]!, maxs[from + i + half]!);
      }
    }
    this.mins = mins;
    this.maxs = maxs;
    this.levels = levels;
  }

  /** Mean of the values in buckets [lo, hi) (NaN without any). */
  mean(lo: number, hi: number): number {
    const n = this.count(lo, hi);
    return n === 0 ? Number.NaN : this.ref + (this.prefix[hi * 6 + SX]! - this.prefix[lo * 6 + SX]!) / n;
  }

  private extremes(lo: number, hi: number): [number, number] {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    if (!this.mins && this.scans < 8) {
      this.scans++;
      for (let i = lo; i < hi; i++) {
        const v = this.values[i];
        if (v === null || v === undefined || !Number.isFinite(v)) continue;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return [min, max];
    }
    if (!this.mins) this.buildTables();
    const mins = this.mins!;
    const maxs = this.maxs!;
    const level = Math.min(Math.floor(Math.log2(hi - lo)), this.levels - 1);
    const width = 2 ** level;
    const row = level * this.length;
    // Ranges longer than the tables cover are walked in table-sized steps.
    for (let start = lo; start < hi; start += width) {
      const i = row + Math.min(start, hi - width);
      if (mins[i]! < min) min = mins[i]!;
      if (maxs[i]! > max) max = maxs[i]!;
    }
    return [min, max];
  }

  /** Values present in buckets [lo, hi). */
  count(lo: number, hi: number): number {
    return hi > lo ? this.prefix[hi * 6 + CNT]! - this.prefix[lo * 6 + CNT]! : 0;
  }

  /** Statistics of the values in buckets [lo, hi), ignoring gaps; NaN where undefined. */
  stats(lo: number, hi: number): RangeStats {
    const n = this.count(lo, hi);
    if (n === 0) {
      return {
        count: 0,
        mean: Number.NaN,
        std: Number.NaN,
        slopePerBucket: Number.NaN,
        min: Number.NaN,
        max: Number.NaN,
      };
    }
    const p = this.prefix;
    const a = lo * 6;
    const b = hi * 6;
    const sx = p[b + SX]! - p[a + SX]!;
    const sxx = p[b + SXX]! - p[a + SXX]!;
    const st = p[b + ST]! - p[a + ST]!;
    const stt = p[b + STT]! - p[a + STT]!;
    const stx = p[b + STX]! - p[a + STX]!;
    const meanX = sx / n;
    const meanT = st / n;
    const varX = Math.max(0, sxx / n - meanX * meanX);
    const varT = stt / n - meanT * meanT;
    const slope = n >= 2 && varT > 1e-12 ? (stx / n - meanT * meanX) / varT : Number.NaN;
    const [min, max] = this.extremes(lo, hi);
    return {
      count: n,
      mean: this.ref + meanX,
      std: n >= 2 ? Math.sqrt(varX) : Number.NaN,
      slopePerBucket: slope,
      min,
      max,
    };
  }
}
