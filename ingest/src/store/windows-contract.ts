import { describe, expect, it } from 'vitest';
import { type ContractContext, current, discharge, expectValues } from '../testing/store-contract/context.ts';
import { hourMs, minuteMs } from '../testing/telemetry-fixtures.ts';
import type { TelemetryPoint, WindowQuery } from './telemetry-store.ts';

/** The mean of every bucket, worked out from the points themselves: what windows() must answer. */
function expectedMeans(
  points: readonly TelemetryPoint[],
  query: WindowQuery,
  deviceId: string,
  metric: string,
) {
  const first = Math.floor(query.from / query.stepMs) * query.stepMs;
  const means: (number | null)[] = [];
  for (let b = first; b < query.to; b += query.stepMs) {
    const inBucket = points.filter(
      (p) =>
        p.deviceId === deviceId &&
        p.metrics[metric] !== undefined &&
        p.ts >= Math.max(b, query.from) &&
        p.ts < Math.min(b + query.stepMs, query.to),
    );
    means.push(
      inBucket.length === 0
        ? null
        : inBucket.reduce((sum, p) => sum + p.metrics[metric]!, 0) / inBucket.length,
    );
  }
  return means;
}

/**
 * Hour-multiple steps are what the models read, and an adapter may answer them from an hourly
 * rollup: the answer must be the raw samples' mean whatever has or has not been compacted yet,
 * including samples rewritten or added later in hours already rolled up.
 */
export function describeHourlyWindowsContract(ctx: ContractContext): void {
  const { t0, at } = ctx;
  describe('windows with hour-multiple steps', () => {
    /** Five hours of two split ACs, one sample every 10 minutes, values that differ everywhere. */
    const fiveHours = (): TelemetryPoint[] =>
      ['ac-0001', 'ac-0002'].flatMap((deviceId, d) =>
        Array.from({ length: 30 }, (_, i) => ({
          deviceId,
          model: 'split-ac',
          ts: at(10 * i),
          metrics: {
            [current]: 5 + d + i / 8,
            ...(i % 3 === 0 ? {} : { [discharge]: 70 + ((i * 7) % 11) + d / 4 }),
          },
        })),
      );
    const queries: WindowQuery[] = [
      { deviceIds: ['ac-0001', 'ac-0002'], from: t0, to: at(300), stepMs: hourMs },
      { deviceIds: ['ac-0001', 'ac-0002'], from: at(25), to: at(275), stepMs: hourMs },
      {
        deviceIds: ['ac-0002', 'ac-0001'],
        metrics: [current],
        from: at(35),
        to: at(300),
        stepMs: 2 * hourMs,
      },
      { deviceIds: ['ac-0001'], metrics: [discharge, current], from: at(65), to: at(115), stepMs: hourMs },
    ];
    const expectWindows = async (points: readonly TelemetryPoint[]) => {
      for (const query of queries) {
        const windows = await ctx.store.windows(query);
        expect(windows.map((w) => w.deviceId)).toEqual(query.deviceIds);
        for (const window of windows) {
          for (const metric of query.metrics ?? [current, discharge]) {
            expectValues(window.values[metric], expectedMeans(points, query, window.deviceId, metric));
          }
        }
      }
    };

    it('answers the raw means before and after compaction', async () => {
      const points = fiveHours();
      await ctx.store.write(points);
      await expectWindows(points);
      await ctx.store.compact(Date.now());
      await expectWindows(points);
    });

    it('includes samples rewritten or added later in hours already compacted', async () => {
      const points = fiveHours();
      await ctx.store.write(points);
      await ctx.store.compact(Date.now());
      const later: TelemetryPoint[] = [
        { deviceId: 'ac-0001', model: 'split-ac', ts: at(70), metrics: { [current]: 42 } },
        { deviceId: 'ac-0001', model: 'split-ac', ts: at(75), metrics: { [current]: 9.5, [discharge]: 99 } },
        { deviceId: 'ac-0002', model: 'split-ac', ts: at(295) + minuteMs, metrics: { [current]: 1.25 } },
      ];
      await ctx.store.write(later);
      const replaced = points.filter((p) => !(p.deviceId === 'ac-0001' && p.ts === at(70)));
      const now = [
        ...replaced,
        {
          ...later[0]!,
          metrics: {
            ...points.find((p) => p.deviceId === 'ac-0001' && p.ts === at(70))!.metrics,
            ...later[0]!.metrics,
          },
        },
        ...later.slice(1),
      ];
      await expectWindows(now);
      await ctx.store.compact(Date.now());
      await expectWindows(now);
    });
  });
}
