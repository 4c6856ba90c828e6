import type { Risk } from '@aftercare/core';
import type { RiskQuery } from '@aftercare/ingest';
import { describe, expect, it, vi } from 'vitest';
import { createRiskSnapshots } from './risk-snapshot.ts';

function aRisk(deviceId: string, pFail: number, scoredAt: number): Risk {
  return {
    deviceId,
    model: 'split-ac',
    component: 'compressor',
    failureMode: 'compressor_wear',
    pFail,
    daysLeft: null,
    horizonDays: 14,
    modelVersion: 'test@1',
    scoredAt,
    dataUntil: scoredAt,
    drivers: [],
  };
}

/** A store of newest risks that counts how often the whole list is read. */
function aStore(initial: Risk[]) {
  const state = { risks: initial, fullReads: 0 };
  return {
    state,
    store: {
      async latestRisks() {
        state.fullReads++;
        return state.risks;
      },
      async risks(query: RiskQuery) {
        return state.risks
          .filter((r) => r.scoredAt >= query.from && r.scoredAt < query.to)
          .slice(0, query.limit);
      },
    },
  };
}

describe('createRiskSnapshots', () => {
  it('reads the whole list once while nothing newer is stored', async () => {
    const { store, state } = aStore([aRisk('ac-1', 0.7, 1000), aRisk('ac-2', 0.1, 1000)]);
    const snapshots = createRiskSnapshots(store, { monotonicNow: () => 0 });
    const [a, b] = await Promise.all([snapshots.current(), snapshots.current()]);
    const c = await snapshots.current();
    expect(state.fullReads).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(c.risks).toHaveLength(2);
    expect(c.atRisk.map((r) => r.deviceId)).toEqual(['ac-1']);
  });

  it('takes a new snapshot as soon as a newer score is stored', async () => {
    const { store, state } = aStore([aRisk('ac-1', 0.7, 1000)]);
    const snapshots = createRiskSnapshots(store, { monotonicNow: () => 0 });
    await snapshots.current();
    state.risks = [aRisk('ac-1', 0.95, 2000)];
    expect((await snapshots.current()).atRisk[0]?.pFail).toBe(0.95);
    expect(state.fullReads).toBe(2);
  });

  it('holds every newest risk most likely failure first, ties by device, the at-risk ones as a prefix', async () => {
    const { store } = aStore([
      aRisk('ac-3', 0.2, 1000),
      aRisk('ac-2', 0.7, 1000),
      aRisk('ac-1', 0.7, 1000),
      aRisk('ac-4', 0.9, 900),
    ]);
    const snapshot = await createRiskSnapshots(store, { monotonicNow: () => 0 }).current();
    expect(snapshot.risks.map((r) => r.deviceId)).toEqual(['ac-4', 'ac-1', 'ac-2', 'ac-3']);
    expect(snapshot.atRisk).toEqual(snapshot.risks.slice(0, 3));
    expect(snapshot.risks).toHaveLength(4);
  });

  it('makes a request that finds a snapshot being taken check again once it is taken', async () => {
    const { store, state } = aStore([aRisk('ac-1', 0.7, 1000)]);
    let release = () => {};
    const slow = {
      ...store,
      async latestRisks() {
        const read = await store.latestRisks();
        if (state.fullReads === 1) await new Promise<void>((resolve) => (release = resolve));
        return read;
      },
    };
    const snapshots = createRiskSnapshots(slow, { monotonicNow: () => 0 });
    const first = snapshots.current();
    await vi.waitFor(() => expect(state.fullReads).toBe(1));
    // Stored after the first snapshot read the store, before the second request came.
    state.risks = [aRisk('ac-1', 0.95, 2000)];
    const second = snapshots.current();
    release();
    expect((await first).risks[0]?.pFail).toBe(0.7);
    expect((await second).risks[0]?.pFail).toBe(0.95);
    expect(state.fullReads).toBe(2);
  });

  it('takes a new snapshot once it is older than maxAgeMs, for scores stored with an older time', async () => {
    let clock = 0;
    const { store, state } = aStore([aRisk('ac-1', 0.7, 1000)]);
    const snapshots = createRiskSnapshots(store, { maxAgeMs: 30_000, monotonicNow: () => clock });
    await snapshots.current();
    state.risks = [aRisk('ac-1', 0.7, 1000), aRisk('ac-0', 0.8, 500)];
    clock = 29_000;
    expect((await snapshots.current()).risks).toHaveLength(1);
    clock = 31_000;
    expect((await snapshots.current()).atRisk.map((r) => r.deviceId)).toEqual(['ac-0', 'ac-1']);
  });

  it('takes in newer scores in the background once watching, so the next request does not wait', async () => {
    vi.useFakeTimers();
    try {
      const { store, state } = aStore([aRisk('ac-1', 0.7, 1000)]);
      const snapshots = createRiskSnapshots(store, { monotonicNow: () => 0 });
      const stop = snapshots.watch(5_000, (err) => {
        throw err;
      });
      await vi.advanceTimersByTimeAsync(5_000);
      expect(state.fullReads).toBe(0);
      await snapshots.current();
      state.risks = [aRisk('ac-1', 0.9, 2000)];
      await vi.advanceTimersByTimeAsync(5_000);
      expect(state.fullReads).toBe(2);
      await vi.advanceTimersByTimeAsync(15_000);
      expect(state.fullReads).toBe(2);
      expect((await snapshots.current()).atRisk[0]?.pFail).toBe(0.9);
      expect(state.fullReads).toBe(2);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
