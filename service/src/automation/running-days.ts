import type { DailyValue } from './fix-verification.ts';
import { DAY_MS } from './work.ts';

/** Hourly means of one device as the store's window read gives them (null where no data). */
export interface HourlySeries {
  ts: readonly number[];
  values: Readonly<Record<string, readonly (number | null)[]>>;
}

/**
 * Daily means per metric from hourly means, over the hours the machine ran when the model names a
 * running reading (see the catalogue's `running`), over every hour otherwise. A day without a
 * running hour has no value rather than an idle one.
 */
export function dailyMeans(
  hourly: HourlySeries,
  metrics: readonly string[],
  running?: { metric: string; above: number },
): Record<string, DailyValue[]> {
  const gate = running ? hourly.values[running.metric] : undefined;
  const out: Record<string, DailyValue[]> = {};
  for (const metric of metrics) {
    const values = hourly.values[metric] ?? [];
    const days = new Map<number, { sum: number; n: number }>();
    hourly.ts.forEach((ts, i) => {
      const value = values[i];
      if (value === null || value === undefined) return;
      if (running) {
        const on = gate?.[i];
        if (on === null || on === undefined || on <= running.above) return;
      }
      const day = Math.floor(ts / DAY_MS) * DAY_MS;
      const acc = days.get(day) ?? { sum: 0, n: 0 };
      acc.sum += value;
      acc.n++;
      days.set(day, acc);
    });
    out[metric] = [...days.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([day, { sum, n }]) => ({ day, value: sum / n }));
  }
  return out;
}
