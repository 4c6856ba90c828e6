/** The middle value; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Whether a failure's signature metric had moved its way beyond the healthy noise (more than three
 * robust standard deviations of `noise` around its median, and at least 2 % of the baseline), and how
 * much of that move came back afterwards (0 nothing, 1 back at baseline; null when it had not moved or
 * there is no `after`). Shared by the fix verifier (days after a repair) and the remote-fix judgement
 * (hours after a command) so that both call a fault "measurably there" the same way.
 */
export function signatureShift(input: {
  direction: 'up' | 'down';
  baseline: number;
  degraded: number;
  after: number | null;
  noise: readonly number[];
}): { moved: boolean; recoveredFraction: number | null } {
  const center = median(input.noise) ?? input.baseline;
  const robustSd = 1.4826 * (median(input.noise.map((v) => Math.abs(v - center))) ?? 0);
  const sign = input.direction === 'up' ? 1 : -1;
  const shift = sign * (input.degraded - input.baseline);
  const moved = shift > Math.max(3 * robustSd, 0.02 * Math.abs(input.baseline), 1e-9);
  const recoveredFraction =
    moved && input.after !== null ? (sign * (input.degraded - input.after)) / shift : null;
  return { moved, recoveredFraction };
}
