import { beforeEach, describe, expect, it } from 'vitest';
import { minuteMs, samplesOf } from '../telemetry-fixtures.ts';
import {
  type ContractContext,
  cabinet,
  current,
  currents,
  discharge,
  duty,
  expectValues,
} from './context.ts';

export function describeFleetContract(ctx: ContractContext): void {
  const { t0, at, tenMinutes } = ctx;
  describe('latest', () => {
    beforeEach(async () => {
      await ctx.store.write([
        ...tenMinutes('ac-0001'),
        ...samplesOf('ac-0002', 'split-ac', t0, minuteMs, {
          [current]: [5.1, 5.3, 5.5],
          [discharge]: [70, 71, null],
        }),
        ...samplesOf('rf-0001', 'refrigerator', at(2), minuteMs, {
          [cabinet]: [3.5, 3.2],
          [duty]: [40, 41],
        }),
      ]);
    });

    it('gives each device its newest sample', async () => {
      expect(await ctx.store.latest()).toEqual([
        { deviceId: 'ac-0001', ts: at(9), metrics: { [current]: 7.1, [discharge]: 78.5 } },
        { deviceId: 'ac-0002', ts: at(2), metrics: { [current]: 5.5 } },
        { deviceId: 'rf-0001', ts: at(3), metrics: { [cabinet]: 3.2, [duty]: 41 } },
      ]);
    });

    it('limits the answer to the devices asked for', async () => {
      expect(await ctx.store.latest(['rf-0001', 'ac-9999'])).toEqual([
        { deviceId: 'rf-0001', ts: at(3), metrics: { [cabinet]: 3.2, [duty]: 41 } },
      ]);
      expect(await ctx.store.latest([])).toEqual([]);
    });
  });

  describe('windows', () => {
    beforeEach(async () => {
      await ctx.store.write([
        ...tenMinutes('ac-0001'),
        ...samplesOf('ac-0001', 'split-ac', at(20), minuteMs, {
          [current]: [5.0, 5.2, 5.4, 5.6, 5.8, 6.0, 6.2, 6.4, 6.6, 6.8],
        }),
        ...samplesOf('ac-0002', 'split-ac', at(10), minuteMs, {
          [current]: [4.0, 4.1, 4.2, 4.3, 4.4, 4.5, 4.6, 4.7, 4.8, 4.9],
        }),
      ]);
    });

    it('gives per-bucket means for several devices at once, null where a bucket is empty', async () => {
      const windows = await ctx.store.windows({
        deviceIds: ['ac-0001', 'ac-0002', 'ac-0003'],
        metrics: [current, discharge],
        from: t0,
        to: at(30),
        stepMs: 10 * minuteMs,
      });
      expect(windows.map((w) => w.deviceId)).toEqual(['ac-0001', 'ac-0002', 'ac-0003']);
      for (const window of windows) expect(window.ts).toEqual([t0, at(10), at(20)]);
      const [one, two, three] = windows;
      expectValues(one!.values[current], [6.59, null, 5.9]);
      expectValues(one!.values[discharge], [74.475, null, null]);
      expectValues(two!.values[current], [null, 4.45, null]);
      expectValues(two!.values[discharge], [null, null, null]);
      expect(three!.values).toEqual({ [current]: [null, null, null], [discharge]: [null, null, null] });
    });

    it('aligns buckets to floor(ts / step) * step and honours from and to', async () => {
      const step = 7 * minuteMs;
      const from = at(3);
      const to = at(24);
      const [window] = await ctx.store.windows({
        deviceIds: ['ac-0001'],
        metrics: [current],
        from,
        to,
        stepMs: step,
      });
      const first = Math.floor(from / step) * step;
      const expectedTs: number[] = [];
      for (let b = first; b < to; b += step) expectedTs.push(b);
      expect(window!.ts).toEqual(expectedTs);
      const samples = [
        ...currents.map((v, i) => [at(i), v]),
        ...[5.0, 5.2, 5.4, 5.6].map((v, i) => [at(20 + i), v]),
      ];
      const expected = expectedTs.map((b) => {
        const inBucket = samples.filter(([ts]) => ts! >= Math.max(b, from) && ts! < Math.min(b + step, to));
        return inBucket.length ? inBucket.reduce((sum, [, v]) => sum + v!, 0) / inBucket.length : null;
      });
      expectValues(window!.values[current], expected);
    });

    it('returns the metrics each device has when none are named', async () => {
      const [one, two] = await ctx.store.windows({
        deviceIds: ['ac-0001', 'ac-0002'],
        from: t0,
        to: at(30),
        stepMs: 10 * minuteMs,
      });
      expect(Object.keys(one!.values)).toEqual([current, discharge]);
      expect(Object.keys(two!.values)).toEqual([current]);
    });
  });
}
