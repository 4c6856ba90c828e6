import { fleetHealthRules, type Risk } from '@aftercare/core';
import type { TelemetryStore } from '@aftercare/ingest';
import type { HealthSignal } from './fleet-summary.ts';

/**
 * The fleet's newest risks, held compactly for the fleet summary: reading every device × component's
 * newest risk from the store costs about half a second for 10,000 devices, and an overview open all
 * day on many desks asks for it every minute, while the scores change only when a scoring run stores
 * new ones.
 *
 * A snapshot is taken again when a risk newer than its newest one is stored (one indexed seek per
 * request checks, and `watch` checks in the background) and at least every `maxAgeMs`, which also
 * catches scores stored with an older time (a back-fill). Concurrent requests share one refresh.
 */
export interface RiskSnapshot {
  /** Newest risk per device × component: what health is judged from. */
  signals: readonly HealthSignal[];
  /** The risks at or above the at-risk probability, most likely failure first (GET /api/risks' order). */
  atRisk: readonly Risk[];
}

export interface RiskSnapshotSource {
  current(): Promise<RiskSnapshot>;
  /**
   * Checks every `everyMs` for scores newer than the snapshot and takes a new one in the background,
   * so that the first overview after a scoring run rarely waits for it. Returns the stop function.
   */
  watch(everyMs: number, onError: (err: unknown) => void): () => void;
}

const yearMs = 366 * 86_400_000;

/** Most likely failure first; ties in a stable order, as GET /api/risks sorts. */
function byRisk(a: Risk, b: Risk): number {
  if (a.pFail !== b.pFail) return b.pFail - a.pFail;
  if (a.deviceId !== b.deviceId) return a.deviceId < b.deviceId ? -1 : 1;
  return a.component < b.component ? -1 : a.component > b.component ? 1 : 0;
}

export function createRiskSnapshots(
  store: Pick<TelemetryStore, 'latestRisks' | 'risks'>,
  options: { maxAgeMs?: number; monotonicNow?: () => number } = {},
): RiskSnapshotSource {
  const maxAgeMs = options.maxAgeMs ?? 30_000;
  const monotonicNow = options.monotonicNow ?? (() => performance.now());
  let held: { snapshot: RiskSnapshot; newest: number; takenAt: number } | null = null;
  let refreshing: Promise<RiskSnapshot> | null = null;

  async function take(): Promise<RiskSnapshot> {
    const takenAt = monotonicNow();
    const risks = await store.latestRisks();
    let newest = Number.NEGATIVE_INFINITY;
    const signals: HealthSignal[] = new Array(risks.length);
    const atRisk: Risk[] = [];
    for (let i = 0; i < risks.length; i++) {
      const r = risks[i]!;
      signals[i] = { deviceId: r.deviceId, pFail: r.pFail, daysLeft: r.daysLeft, scoredAt: r.scoredAt };
      if (r.scoredAt > newest) newest = r.scoredAt;
      if (r.pFail >= fleetHealthRules.atRiskProbability) atRisk.push(r);
    }
    const snapshot = { signals, atRisk: atRisk.sort(byRisk) };
    held = { snapshot, newest, takenAt };
    return snapshot;
  }

  async function hasNewer(h: NonNullable<typeof held>): Promise<boolean> {
    const from = Number.isFinite(h.newest) ? h.newest + 1 : 0;
    // A year ahead bounds the seek for every adapter (InfluxDB counts in nanoseconds).
    const newer = await store.risks({ from, to: Math.max(from + 1, Date.now() + yearMs), limit: 1 });
    return newer.length > 0;
  }

  function refresh(): Promise<RiskSnapshot> {
    refreshing ??= take().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  return {
    async current() {
      if (refreshing) return refreshing;
      if (held && monotonicNow() - held.takenAt <= maxAgeMs && !(await hasNewer(held))) return held.snapshot;
      return refresh();
    },
    watch(everyMs, onError) {
      let checking = false;
      const timer = setInterval(() => {
        // Only once a snapshot was asked for, and never two checks at once.
        if (checking || refreshing || !held) return;
        checking = true;
        const h = held;
        hasNewer(h)
          .then((newer) => (newer ? refresh() : undefined))
          .catch(onError)
          .finally(() => {
            checking = false;
          });
      }, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
