/** The newest sample time of one device, as the store's `latest()` reports it. */
export interface DeviceLatestSample {
  deviceId: string;
  ts: number;
}

export interface DeviceSelectionInput {
  latest: readonly DeviceLatestSample[];
  /**
   * Per device, when it was last scored (the scoredAt of its newest stored risk) or last tried and
   * skipped; absent for a device never looked at.
   */
  lastScoredAt: ReadonlyMap<string, number>;
  now: number;
  /** A device whose newest sample is older than this is not scored: its data is not fresh. */
  freshnessMs: number;
}

export interface DeviceSelection {
  /** Devices to score, in the order `latest` gave them. */
  deviceIds: string[];
  /** Newest sample older than the freshness window (offline, decommissioned). */
  stale: number;
  /** Nothing newer than their last score. */
  unchanged: number;
}

/**
 * Which devices have fresh data: a sample inside the freshness window and newer than the device's
 * last score. Everything else keeps its last risk rather than being scored again on the same data.
 */
export function selectDevicesToScore(input: DeviceSelectionInput): DeviceSelection {
  const oldestFresh = input.now - input.freshnessMs;
  const selection: DeviceSelection = { deviceIds: [], stale: 0, unchanged: 0 };
  for (const { deviceId, ts } of input.latest) {
    const scoredAt = input.lastScoredAt.get(deviceId);
    if (ts < oldestFresh) selection.stale += 1;
    else if (scoredAt !== undefined && ts <= scoredAt) selection.unchanged += 1;
    else selection.deviceIds.push(deviceId);
  }
  return selection;
}
