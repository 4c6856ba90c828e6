import { describe, expect, it } from 'vitest';
import { StoreRejectedError, StoreUnavailableError } from '../../errors.ts';
import type { TelemetryPoint } from '../../store/telemetry-store.ts';
import { hourMs } from '../telemetry-fixtures.ts';
import { type ContractContext, current, currents, discharge, expectValues, power } from './context.ts';

export function describeWriteContract(ctx: ContractContext): void {
  const { t0, at, tenMinutes } = ctx;
  describe('write', () => {
    it('stores the same points written twice once', async () => {
      await ctx.store.write(tenMinutes());
      await ctx.store.write(tenMinutes());
      const [raw] = await ctx.store.querySeries({
        deviceId: 'ac-0001',
        metrics: [current],
        from: t0,
        to: at(60),
      });
      expect(raw!.mean).toEqual(currents);
      const [hourly] = await ctx.store.querySeries({
        deviceId: 'ac-0001',
        metrics: [current],
        from: t0,
        to: at(60),
        stepMs: hourMs,
      });
      expectValues(hourly!.mean, [6.59]);
    });

    it('replaces a value written again for the same device, metric and time', async () => {
      await ctx.store.write(tenMinutes());
      await ctx.store.write([
        { deviceId: 'ac-0001', model: 'split-ac', ts: t0, metrics: { [current]: 9.9 } },
      ]);
      const [raw] = await ctx.store.querySeries({
        deviceId: 'ac-0001',
        metrics: [current],
        from: t0,
        to: at(60),
      });
      expect(raw!.mean).toEqual([9.9, ...currents.slice(1)]);
    });

    it('adds metrics written later for the same time to that sample', async () => {
      await ctx.store.write([
        { deviceId: 'ac-0001', model: 'split-ac', ts: t0, metrics: { [current]: 6.1 } },
      ]);
      await ctx.store.write([
        { deviceId: 'ac-0001', model: 'split-ac', ts: t0, metrics: { [discharge]: 71.5 } },
      ]);
      expect(await ctx.store.latest(['ac-0001'])).toEqual([
        { deviceId: 'ac-0001', ts: t0, metrics: { [current]: 6.1, [discharge]: 71.5 } },
      ]);
    });

    it('accepts an empty batch', async () => {
      await expect(ctx.store.write([])).resolves.toBeUndefined();
    });

    it('stores a batch of 12,000 points completely', async () => {
      const devices = ['ac-0101', 'ac-0102', 'ac-0103', 'ac-0104'];
      const points = devices.flatMap((deviceId, d) =>
        Array.from(
          { length: 3_000 },
          (_, i): TelemetryPoint => ({
            deviceId,
            model: 'split-ac',
            ts: t0 + i * 1_000,
            metrics: { [current]: d + (i % 10) / 10, [discharge]: 70 + d, [power]: 1_000 + i },
          }),
        ),
      );
      await ctx.store.write(points);
      for (const [d, deviceId] of devices.entries()) {
        const [c, p] = await ctx.store.querySeries({
          deviceId,
          metrics: [current, power],
          from: t0,
          to: at(60),
        });
        expect(c!.ts).toHaveLength(3_000);
        expect(p!.mean.at(-1)).toBe(3_999);
        const [hourly] = await ctx.store.querySeries({
          deviceId,
          metrics: [current],
          from: t0,
          to: at(60),
          stepMs: hourMs,
        });
        expectValues(hourly!.mean, [d + 0.45]);
      }
    });

    const bad: [string, Partial<TelemetryPoint>][] = [
      ['a NaN value', { metrics: { [current]: Number.NaN } }],
      ['an infinite value', { metrics: { [current]: Number.POSITIVE_INFINITY } }],
      ['a metric name that is not snake_case', { metrics: { 'Compressor-Current': 1 } }],
      ['a device id with a separator', { deviceId: 'ac/0001' }],
      ['a fractional timestamp', { ts: t0 + 0.5 }],
      ['an empty model', { model: '' }],
    ];
    for (const [what, change] of bad) {
      it(`rejects the whole batch when one point has ${what}`, async () => {
        const good: TelemetryPoint = {
          deviceId: 'ac-0001',
          model: 'split-ac',
          ts: t0,
          metrics: { [current]: 6.1 },
        };
        const broken = { ...good, ts: at(1), ...change };
        await expect(ctx.store.write([good, broken])).rejects.toBeInstanceOf(StoreRejectedError);
        expect(await ctx.store.querySeries({ deviceId: 'ac-0001', from: t0, to: at(60) })).toEqual([]);
        await ctx.store.write([good]);
        const [series] = await ctx.store.querySeries({ deviceId: 'ac-0001', from: t0, to: at(60) });
        expect(series!.mean).toEqual([6.1]);
      });
    }
  });

  describe('lifecycle', () => {
    it('can be initialised again without losing data', async () => {
      await ctx.store.write(tenMinutes());
      await ctx.store.init();
      const [series] = await ctx.store.querySeries({
        deviceId: 'ac-0001',
        metrics: [current],
        from: t0,
        to: at(60),
      });
      expect(series!.mean).toEqual(currents);
    });

    it('reports itself unavailable once closed', async () => {
      await ctx.store.close();
      await expect(ctx.store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(ctx.store.write(tenMinutes())).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(ctx.store.close()).resolves.toBeUndefined();
    });
  });
}
