import { type Risk, ValidationError } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { StoreRejectedError, StoreUnavailableError } from '../errors.ts';
import type { ContractContext } from '../testing/store-contract/context.ts';

const failureModeOf: Record<string, string> = {
  compressor: 'compressor_wear',
  refrigerant_circuit: 'refrigerant_leak',
  door_gasket: 'door_gasket_leak',
};

/** A valid risk of a split AC's compressor; override what the test is about. */
export function riskOf(
  deviceId: string,
  component: string,
  scoredAt: number,
  overrides: Partial<Risk> = {},
): Risk {
  return {
    deviceId,
    model: deviceId.startsWith('rf-') ? 'refrigerator' : 'split-ac',
    component,
    failureMode: failureModeOf[component] ?? 'compressor_wear',
    pFail: 0.25,
    daysLeft: 12.5,
    horizonDays: 14,
    modelVersion: 'split-ac@2026-11-26T07:00:00Z',
    scoredAt,
    dataUntil: scoredAt - 30_000,
    drivers: [],
    ...overrides,
  };
}

const drivers: Risk['drivers'] = [
  {
    metric: 'discharge_temp_c',
    label: 'Discharge temperature',
    unit: '°C',
    change: 6.125,
    overDays: 9,
    direction: 'up',
    weight: 0.625,
    text: 'Discharge temperature +6.1 °C over 9 days',
  },
  {
    metric: 'compressor_current_a',
    label: 'Compressor "current"',
    unit: 'A',
    change: -0.375,
    overDays: 4.5,
    direction: 'down',
    weight: 0.25,
    text: "Compressor current −0.4 A over 4.5 days, it's \\ odd\nsecond line",
  },
];

/** The `risk` series: what the scoring job writes and the service and console read. */
export function describeRiskContract(ctx: ContractContext): void {
  const { at } = ctx;
  describe('risks', () => {
    it('reads risks back field for field, drivers and a null daysLeft included, oldest first', async () => {
      const risks = [
        riskOf('ac-0001', 'compressor', at(10), { pFail: 0.8125, daysLeft: 6.5, drivers }),
        riskOf('ac-0001', 'refrigerant_circuit', at(5), { pFail: 0.03125, daysLeft: null }),
        riskOf('rf-0001', 'door_gasket', at(5), { horizonDays: 30, pFail: 1, daysLeft: 0 }),
      ];
      await ctx.store.writeRisks(risks);
      expect(await ctx.store.risks({ from: at(0), to: at(60) })).toEqual([risks[1], risks[2], risks[0]]);
    });

    it('stores the same risk written twice once, and replaces one written again with new values', async () => {
      const risk = riskOf('ac-0001', 'compressor', at(10), { drivers });
      await ctx.store.writeRisks([risk]);
      await ctx.store.writeRisks([risk]);
      expect(await ctx.store.risks({ from: at(0), to: at(60) })).toEqual([risk]);
      const rescored = { ...risk, pFail: 0.5, daysLeft: null, drivers: [] };
      await ctx.store.writeRisks([rescored]);
      expect(await ctx.store.risks({ from: at(0), to: at(60) })).toEqual([rescored]);
      expect(await ctx.store.latestRisks()).toEqual([rescored]);
    });

    it('gives the newest risk of each device × component, whatever order they were written in', async () => {
      const newest = [
        riskOf('ac-0001', 'compressor', at(20), { pFail: 0.9, drivers }),
        riskOf('ac-0001', 'refrigerant_circuit', at(15), { pFail: 0.1 }),
        riskOf('ac-0002', 'compressor', at(20), { pFail: 0.2, daysLeft: null }),
        riskOf('rf-0001', 'door_gasket', at(5), { pFail: 0.3 }),
      ];
      await ctx.store.writeRisks([
        riskOf('ac-0001', 'compressor', at(10), { pFail: 0.7 }),
        newest[2]!,
        riskOf('ac-0001', 'refrigerant_circuit', at(5), { pFail: 0.05 }),
      ]);
      await ctx.store.writeRisks([newest[0]!, newest[1]!, newest[3]!]);
      // Late: an older run's risk arrives after the newer one.
      await ctx.store.writeRisks([riskOf('ac-0001', 'compressor', at(15), { pFail: 0.8 })]);
      expect(await ctx.store.latestRisks()).toEqual(newest);
      expect(await ctx.store.latestRisks(['ac-0002', 'rf-0001', 'ac-9999'])).toEqual(newest.slice(2));
      expect(await ctx.store.latestRisks([])).toEqual([]);
    });

    it('filters history by device, component and time range (from inclusive, to exclusive)', async () => {
      const risks = [
        riskOf('ac-0001', 'compressor', at(0)),
        riskOf('ac-0001', 'compressor', at(5)),
        riskOf('ac-0001', 'refrigerant_circuit', at(5)),
        riskOf('ac-0002', 'compressor', at(5)),
        riskOf('ac-0001', 'compressor', at(10)),
        riskOf('rf-0001', 'door_gasket', at(10)),
      ];
      await ctx.store.writeRisks(risks);
      const keys = (found: Risk[]) => found.map((r) => `${r.deviceId}/${r.component}@${r.scoredAt}`);
      expect(keys(await ctx.store.risks({ deviceIds: ['ac-0001'], from: at(0), to: at(60) }))).toEqual(
        keys([risks[0]!, risks[1]!, risks[2]!, risks[4]!]),
      );
      expect(
        keys(
          await ctx.store.risks({
            deviceIds: ['ac-0001', 'ac-0002', 'rf-0001'],
            component: 'compressor',
            from: at(5),
            to: at(10),
          }),
        ),
      ).toEqual(keys([risks[1]!, risks[3]!]));
      expect(keys(await ctx.store.risks({ component: 'door_gasket', from: at(0), to: at(60) }))).toEqual(
        keys([risks[5]!]),
      );
      expect(await ctx.store.risks({ deviceIds: ['ac-9999'], from: at(0), to: at(60) })).toEqual([]);
      expect(await ctx.store.risks({ deviceIds: [], from: at(0), to: at(60) })).toEqual([]);
      expect(await ctx.store.risks({ from: at(11), to: at(60) })).toEqual([]);
    });

    it('keeps the most recent when limited', async () => {
      const risks = [0, 5, 10, 15].map((m) => riskOf('ac-0001', 'compressor', at(m)));
      await ctx.store.writeRisks(risks);
      expect(await ctx.store.risks({ from: at(0), to: at(60), limit: 2 })).toEqual(risks.slice(2));
      expect(await ctx.store.risks({ deviceIds: ['ac-0001'], from: at(0), to: at(60), limit: 3 })).toEqual(
        risks.slice(1),
      );
    });

    it('gives a risk trend per component: the highest risk and fewest days left of each bucket', async () => {
      await ctx.store.writeRisks([
        riskOf('ac-0001', 'compressor', at(0), { pFail: 0.2, daysLeft: 12.5 }),
        riskOf('ac-0001', 'compressor', at(5), { pFail: 0.625, daysLeft: 4 }),
        riskOf('ac-0001', 'compressor', at(7), { pFail: 0.5, daysLeft: null }),
        riskOf('ac-0001', 'compressor', at(10), { pFail: 0.3, daysLeft: null }),
        riskOf('ac-0001', 'refrigerant_circuit', at(25), { pFail: 0.125, daysLeft: null }),
        // Another device and a bucket outside the window: neither is in the trend.
        riskOf('ac-0002', 'compressor', at(5), { pFail: 0.99 }),
        riskOf('ac-0001', 'compressor', at(40), { pFail: 0.9 }),
      ]);
      const step = 10 * 60_000;
      expect(
        await ctx.store.riskTrend({ deviceId: 'ac-0001', from: at(0), to: at(30), stepMs: step }),
      ).toEqual([
        {
          component: 'compressor',
          firstScoredAt: at(0),
          lastScoredAt: at(10),
          scores: 4,
          points: [
            { ts: at(0), pFail: 0.625, daysLeft: 4 },
            { ts: at(10), pFail: 0.3, daysLeft: null },
          ],
        },
        {
          component: 'refrigerant_circuit',
          firstScoredAt: at(25),
          lastScoredAt: at(25),
          scores: 1,
          points: [{ ts: at(20), pFail: 0.125, daysLeft: null }],
        },
      ]);
      expect(
        await ctx.store.riskTrend({
          deviceId: 'ac-0001',
          component: 'refrigerant_circuit',
          from: at(0),
          to: at(60),
          stepMs: 60 * 60_000,
        }),
      ).toEqual([
        {
          component: 'refrigerant_circuit',
          firstScoredAt: at(25),
          lastScoredAt: at(25),
          scores: 1,
          points: [{ ts: at(0), pFail: 0.125, daysLeft: null }],
        },
      ]);
      expect(
        await ctx.store.riskTrend({ deviceId: 'ac-9999', from: at(0), to: at(60), stepMs: step }),
      ).toEqual([]);
    });

    it('refuses a risk trend of more buckets than a chart can use, or of a step under a second', async () => {
      const query = { deviceId: 'ac-0001', from: at(0), to: at(60) };
      await expect(ctx.store.riskTrend({ ...query, stepMs: 100 })).rejects.toThrow(/at least 1000/);
      await expect(
        ctx.store.riskTrend({ ...query, from: at(0) - 365 * 86_400_000, stepMs: 1000 }),
      ).rejects.toThrow(/wider step/);
      await expect(
        ctx.store.riskTrend({ ...query, component: "x' OR 1=1 --", stepMs: 60_000 }),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    const bad: [string, Partial<Risk>, RegExp][] = [
      ['a probability above 1', { pFail: 1.5 }, /pFail/],
      ['a NaN probability', { pFail: Number.NaN }, /pFail/],
      ['negative days left', { daysLeft: -1 }, /daysLeft/],
      ['a device id with a separator', { deviceId: 'ac/0001' }, /deviceId/],
      ['a component that is not snake_case', { component: 'Compressor Unit' }, /component/],
      ['an unknown device model', { model: 'toaster' as Risk['model'] }, /model/],
      ['a fractional scoredAt', { scoredAt: 1.5 }, /scoredAt/],
      ['an empty model version', { modelVersion: '' }, /modelVersion/],
      ['a driver weight above 1', { drivers: [{ ...drivers[0]!, weight: 2 }] }, /drivers\.0\.weight/],
    ];
    for (const [what, change, names] of bad) {
      it(`rejects the whole batch when one risk has ${what}, naming the field`, async () => {
        const good = riskOf('ac-0001', 'compressor', at(5));
        const broken = { ...riskOf('ac-0001', 'compressor', at(10)), ...change };
        const refused = ctx.store.writeRisks([good, broken]);
        await expect(refused).rejects.toBeInstanceOf(StoreRejectedError);
        await expect(refused).rejects.toThrow(names);
        await expect(refused).rejects.toThrow(/risk 1 /);
        expect(await ctx.store.risks({ from: at(0), to: at(60) })).toEqual([]);
        expect(await ctx.store.latestRisks()).toEqual([]);
      });
    }

    it('refuses a component filter that is not snake_case', async () => {
      await expect(
        ctx.store.risks({ component: "x' OR 1=1 --", from: at(0), to: at(60) }),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    it('keeps risks across a re-init and reports itself unavailable once closed', async () => {
      const risk = riskOf('ac-0001', 'compressor', at(5), { drivers });
      await ctx.store.writeRisks([risk]);
      await ctx.store.init();
      expect(await ctx.store.latestRisks(['ac-0001'])).toEqual([risk]);
      await ctx.store.close();
      await expect(ctx.store.writeRisks([risk])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(ctx.store.latestRisks()).rejects.toBeInstanceOf(StoreUnavailableError);
    });
  });
}
