import { fleetHealthRules, type Risk } from '@aftercare/core';
import type { TelemetryStore } from '@aftercare/ingest';

/**
 * The fleet's newest risks, held for the fleet summary and GET /api/risks: reading every device ×
 * component's newest risk from the store costs about half a second for 10,000 devices, and an overview
 * or risk list open all day on many desks asks for it every minute, while the scores change only when
 * a scoring run stores new ones.
 *
 * A snapshot is taken again when a risk scored after its newest one is stored (one indexed seek per
 * request checks, and `watch` checks in the background) and at least every `maxAgeMs`. A request that
 * finds a snapshot being taken waits for it and then checks again, so a score stored before the
 * request came is in its answer. Scores stored with a time at or before the snapshot's newest (a
 * back-fill, a run's second batch with the same time, a score written again with new values) are
 * taken in by the `maxAgeMs` refresh only. Concurrent requests share one refresh.
 */
export interface RiskSnapshot {
  /** Newest risk per device × component, most likely failure first, ties by device then component. */
  risks: readonly Risk[];
  /** The risks at or above the at-risk probability, in `risks`' order (a prefix of it). */
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

/** Most likely failure first; ties in a stable order, so that GET /api/risks' pages neither skip nor repeat. */
export function byRisk(a: Risk, b: Risk): number {
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
    const risks = [...(await store.latestRisks())].sort(byRisk);
    let newest = Number.NEGATIVE_INFINITY;
    let atRiskCount = 0;
    for (const r of risks) {
      if (r.scoredAt > newest) newest = r.scoredAt;
      if (r.pFail >= fleetHealthRules.atRiskProbability) atRiskCount++;
    }
    // Sorted by probability, the at-risk ones come first.
    const snapshot = { risks, atRisk: risks.slice(0, atRiskCount) };
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
      // A refresh under way may have read the store before a score this request must see was stored.
      if (refreshing) await refreshing;
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
