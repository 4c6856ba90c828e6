import { beforeEach, describe, expect, it } from 'vitest';
import { StoreRejectedError } from '../../errors.ts';
import type { StoredEvent } from '../../store/telemetry-store.ts';
import { eventOf, minuteMs } from '../telemetry-fixtures.ts';
import type { ContractContext } from './context.ts';

export function describeEventsContract(ctx: ContractContext): void {
  const { t0, at } = ctx;
  describe('events', () => {
    const events: StoredEvent[] = [
      eventOf('ac-0001', t0 + minuteMs, {
        type: 'warning',
        code: 'E4',
        message: 'Discharge "high" – check the \\ coil\nsecond line, it\'s ✓',
        component: 'compressor',
        data: { discharge_temp_c: 88.5, note: "it's hot", tripped: false },
      }),
      eventOf('ac-0001', t0 + 5 * minuteMs, {
        type: 'failure',
        code: 'compressor_wear',
        component: 'compressor',
        failureMode: 'compressor_wear',
      }),
      eventOf('ac-0002', t0 + 3 * minuteMs, { type: 'error', code: 'F1.2-x' }),
      eventOf('ac-0001', t0 + 10 * minuteMs, { type: 'command_result', code: 'ok', commandId: 'cmd-42' }),
    ];
    const newestFirst = [...events].sort((a, b) => b.ts - a.ts);

    beforeEach(async () => {
      await ctx.store.writeEvents(events);
    });

    it('reads events back field for field, newest first', async () => {
      expect(await ctx.store.events({ from: t0, to: at(60) })).toEqual(newestFirst);
    });

    it('filters by device, type and time range (from inclusive, to exclusive)', async () => {
      const ofOne = await ctx.store.events({ deviceId: 'ac-0001', from: t0, to: at(60) });
      expect(ofOne.map((e) => e.code)).toEqual(['ok', 'compressor_wear', 'E4']);
      const failures = await ctx.store.events({ from: t0, to: at(60), types: ['failure', 'error'] });
      expect(failures.map((e) => e.code)).toEqual(['compressor_wear', 'F1.2-x']);
      const ranged = await ctx.store.events({ from: at(3), to: at(10) });
      expect(ranged.map((e) => e.code)).toEqual(['compressor_wear', 'F1.2-x']);
      expect(await ctx.store.events({ deviceId: 'ac-9999', from: t0, to: at(60) })).toEqual([]);
    });

    it('keeps the most recent when limited', async () => {
      const limited = await ctx.store.events({ from: t0, to: at(60), limit: 2 });
      expect(limited.map((e) => e.code)).toEqual(['ok', 'compressor_wear']);
    });

    it('stores the same event written twice once', async () => {
      await ctx.store.writeEvents(events);
      expect(await ctx.store.events({ from: t0, to: at(60) })).toHaveLength(events.length);
    });

    it('keeps a long message with quotes intact', async () => {
      const message = `"quoted" 'single' \\ back\nslash, `.repeat(400);
      await ctx.store.writeEvents([eventOf('ac-0003', at(30), { message })]);
      const [event] = await ctx.store.events({ deviceId: 'ac-0003', from: t0, to: at(60) });
      expect(event!.message).toBe(message);
    });

    it('rejects an event without a type', async () => {
      await expect(
        ctx.store.writeEvents([eventOf('ac-0003', at(30), { type: '' as never })]),
      ).rejects.toBeInstanceOf(StoreRejectedError);
    });
  });
}
