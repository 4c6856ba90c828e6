/** How one metric's level moved over a look-back, from its daily means. */
export interface Movement {
  /** Mean of the days up to the bend: the unit's own level before it began to move. */
  before: number;
  /** The last day's mean. */
  now: number;
  /** `now − before`, in the metric's unit. */
  change: number;
  /** Days from the bend to the last day. */
  overDays: number;
  /** False with too few days of data (or none on the last day) to size a change. */
  measurable: boolean;
  /** The change stands out of the day-to-day scatter and is a visible share of the healthy range. */
  moved: boolean;
}

/** Days with data a look-back needs before its movement is sized. */
const minDays = 4;
/** A change counts when it exceeds this many standard errors of the day-to-day scatter… */
const noiseFactor = 3;
/** …and this share of the metric's healthy range (a sensor's noise floor is not a reason). */
const minShareOfRange = 0.02;

/**
 * Fits the daily means with a level that holds, then bends into a straight ramp to the last day (the
 * bend tried at each day that leaves at least two days of ramp, the least-squares best kept; a bend on
 * the first day is a trend over the whole look-back), and compares the last day's mean with the mean
 * of the days up to the bend. A failure that develops slowly and then faster bends late; a flat series
 * bends anywhere and is then not `moved`. `healthyWidth` is the metric's healthy range, high − low.
 */
export function measureMovement(daily: ArrayLike<number>, healthyWidth: number): Movement {
  const last = daily.length - 1;
  const days: number[] = [];
  for (let i = 0; i <= last; i++) if (Number.isFinite(daily[i]!)) days.push(i);
  const now = last >= 0 ? daily[last]! : Number.NaN;
  if (!Number.isFinite(now) || days.length < minDays) {
    return {
      before: Number.NaN,
      now,
      change: 0,
      overDays: Math.max(1, last),
      measurable: false,
      moved: false,
    };
  }
  let best = { sse: Number.POSITIVE_INFINITY, bend: 0 };
  for (let bend = days[0]!; bend <= last - 2; bend++) {
    let n = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (const i of days) {
      const x = Math.max(0, i - bend);
      const y = daily[i]!;
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    const vx = sxx - (sx * sx) / n;
    if (vx <= 0) continue;
    const slope = (sxy - (sx * sy) / n) / vx;
    const intercept = (sy - slope * sx) / n;
    let sse = 0;
    for (const i of days) {
      const r = daily[i]! - intercept - slope * Math.max(0, i - bend);
      sse += r * r;
    }
    if (sse < best.sse) best = { sse, bend };
  }
  let sum = 0;
  let count = 0;
  for (const i of days) {
    if (i > best.bend) break;
    sum += daily[i]!;
    count++;
  }
  const before = sum / count;
  const change = now - before;
  // Three fitted parameters: the level, the slope and the bend.
  const scatter = Math.sqrt(best.sse / Math.max(1, days.length - 3));
  const standardError = scatter * Math.sqrt(1 + 1 / count);
  const moved =
    Math.abs(change) > noiseFactor * standardError && Math.abs(change) >= minShareOfRange * healthyWidth;
  return { before, now, change, overDays: last - best.bend, measurable: true, moved };
}
