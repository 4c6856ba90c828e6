import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ContractContext, tenMinutesOf } from '../testing/store-contract/context.ts';
import { describeEventsContract } from '../testing/store-contract/events-contract.ts';
import { describeFleetContract } from '../testing/store-contract/fleet-contract.ts';
import { describeSeriesContract } from '../testing/store-contract/series-contract.ts';
import { describeWriteContract } from '../testing/store-contract/write-contract.ts';
import { minuteMs, recentHour } from '../testing/telemetry-fixtures.ts';
import { describeRiskContract } from './risk-contract.ts';
import type { TelemetryStore } from './telemetry-store.ts';
import { describeHourlyWindowsContract } from './windows-contract.ts';

export { expectValues } from '../testing/store-contract/context.ts';
export { riskOf } from './risk-contract.ts';

export interface StoreUnderTest {
  /** A store on an empty database, not yet initialised. */
  store: TelemetryStore;
  dispose: () => Promise<void>;
}

/**
 * What every TelemetryStore adapter must do, run against its real engine (the pattern of
 * aedes-persistence's abstract suite). An adapter is done when it passes this. Data sits a few hours
 * in the past, inside any retention and never in the future.
 */
export function describeTelemetryStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`TelemetryStore contract: ${name}`, () => {
    const t0 = recentHour(6);
    let current: StoreUnderTest | undefined;
    const ctx: ContractContext = {
      get store() {
        if (!current) throw new Error('the contract store is only available inside a test');
        return current.store;
      },
      t0,
      at: (minutes) => t0 + minutes * minuteMs,
      tenMinutes: tenMinutesOf(t0),
    };

    beforeEach(async () => {
      current = await makeStore();
      await current.store.init();
    });
    afterEach(async () => {
      await current?.store.close();
      await current?.dispose();
      current = undefined;
    });

    it('answers ping', async () => {
      await expect(ctx.store.ping()).resolves.toBeUndefined();
    });

    describeSeriesContract(ctx);
    describeWriteContract(ctx);
    describeFleetContract(ctx);
    describeEventsContract(ctx);
    describeHourlyWindowsContract(ctx);
    describeRiskContract(ctx);
  });
}
