import { ValidationError } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { hourMs, minuteMs, samplesOf } from '../telemetry-fixtures.ts';
import {
  type ContractContext,
  current,
  currents,
  discharge,
  discharges,
  expectValues,
  power,
} from './context.ts';

export function describeSeriesContract(ctx: ContractContext): void {
  const { t0, at, tenMinutes } = ctx;
  describe('querySeries', () => {
    it('reads raw samples back exactly, oldest first, with mean = min = max', async () => {
      await ctx.store.write(tenMinutes());
      const [series] = await ctx.store.querySeries({
        deviceId: 'ac-0001',
        metrics: [current],
        from: t0,
        to: at(60),
      });
      expect(series!.metric).toBe(current);
      expect(series!.ts).toEqual(currents.map((_, i) => at(i)));
      expect(series!.mean).toEqual(currents);
      expect(series!.min).toEqual(currents);
      expect(series!.max).toEqual(currents);
    });

    it('aggregates to a step with mean, min and max per bucket', async () => {
      await ctx.store.write(tenMinutes());
      const series = await ctx.store.querySeries({
        deviceId: 'ac-0001',
        metrics: [current, discharge],
        from: t0,
        to: at(60),
        stepMs: 5 * minuteMs,
      });
      expect(series.map((s) => s.metric)).toEqual([current, discharge]);
      const [c, d] = series;
      expect(c!.ts).toEqual([t0, at(5)]);
      expectValues(c!.mean, [6.48, 6.7]);
      expectValues(c!.min, [6.1, 6.4]);
      expectValues(c!.max, [7.0, 7.1]);
      expectValues(d!.mean, [72.65, 76.3]);
      expectValues(d!.min, [71.5, 74.5]);
      expectValues(d!.max, [74.0, 78.5]);
    });

    it('aligns buckets to multiples of the step even when from is not aligned', async () => {
      await ctx.store.write(tenMinutes());
      const [c] = await ctx.store.querySeries({
        deviceId: 'ac-0001',
        metrics: [current],
        from: at(2),
        to: at(10),
        stepMs: 5 * minuteMs,
      });
      expect(c!.ts).toEqual([t0, at(5)]);
      expectValues(c!.mean, [20.0 / 3, 6.7]);
      expectValues(c!.min, [6.2, 6.4]);
    });

    it('includes from and excludes to', async () => {
      await ctx.store.write(tenMinutes());
      const [raw] = await ctx.store.querySeries({
        deviceId: 'ac-0001',
        metrics: [current],
        from: at(3),
        to: at(7),
      });
      expect(raw!.ts).toEqual([at(3), at(4), at(5), at(6)]);
      expect(raw!.mean).toEqual([6.8, 7.0, 6.4, 6.6]);
      const [stepped] = await ctx.store.querySeries({
        deviceId: 'ac-0001',
        metrics: [current],
        from: at(5),
        to: at(10),
        stepMs: 5 * minuteMs,
      });
      expect(stepped!.ts).toEqual([at(5)]);
      expectValues(stepped!.mean, [6.7]);
    });

    it('returns the requested metrics in the requested order, empty where there is no data', async () => {
      await ctx.store.write(tenMinutes());
      const series = await ctx.store.querySeries({
        deviceId: 'ac-0001',
        metrics: [discharge, power],
        from: t0,
        to: at(60),
      });
      expect(series.map((s) => s.metric)).toEqual([discharge, power]);
      expect(series[0]!.mean).toEqual(discharges);
      expect(series[1]).toEqual({ metric: power, ts: [], mean: [], min: [], max: [] });
    });

    it('returns every metric the device reported, by name, when metrics are omitted', async () => {
      await ctx.store.write(tenMinutes());
      const series = await ctx.store.querySeries({
        deviceId: 'ac-0001',
        from: t0,
        to: at(60),
        stepMs: hourMs,
      });
      expect(series.map((s) => s.metric)).toEqual([current, discharge]);
      expectValues(series[0]!.mean, [65.9 / 10]);
    });

    it('keeps devices apart', async () => {
      await ctx.store.write([
        ...tenMinutes('ac-0001'),
        ...samplesOf('ac-0002', 'split-ac', t0, minuteMs, { [current]: [4.0, 4.2] }),
      ]);
      const [one] = await ctx.store.querySeries({
        deviceId: 'ac-0001',
        metrics: [current],
        from: t0,
        to: at(60),
      });
      const [two] = await ctx.store.querySeries({
        deviceId: 'ac-0002',
        metrics: [current],
        from: t0,
        to: at(60),
      });
      expect(one!.mean).toEqual(currents);
      expect(two!.mean).toEqual([4.0, 4.2]);
      expect(await ctx.store.querySeries({ deviceId: 'ac-9999', from: t0, to: at(60) })).toEqual([]);
    });

    it('refuses a metric name that is not snake_case', async () => {
      await expect(
        ctx.store.querySeries({ deviceId: 'ac-0001', metrics: ['x" OR 1=1 --'], from: t0, to: at(60) }),
      ).rejects.toBeInstanceOf(ValidationError);
    });
  });
}
