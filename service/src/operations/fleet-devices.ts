import type { FleetDeviceRow, FleetDevicesQuery, FleetHealthState } from '@aftercare/core';
import type { FleetEntry } from '../repositories/device-registry.ts';
import { type DeviceHealth, type HealthSignal, judgeFleetHealth } from './fleet-health.ts';

/** A row of the fleet list, all but when the device was last seen (read for the page's rows only). */
export type FleetListRow = Omit<FleetDeviceRow, 'lastSeen'>;

export interface FleetListPage {
  total: number;
  matching: number;
  items: FleetListRow[];
}

/** Worst first: the order a planner works through the fleet. */
const healthRank: Readonly<Record<FleetHealthState, number>> = {
  failed: 0,
  at_risk: 1,
  offline: 2,
  healthy: 3,
};

interface Ranked {
  entry: FleetEntry;
  judged: DeviceHealth;
  /** Health rank, then the highest probability, in one number: 3 × rank + (1 − maxPFail), unscored as −1. */
  rank: number;
}

function worstFirst(a: Ranked, b: Ranked): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  return a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0;
}

/**
 * One page of the fleet list: every device the caller may see is judged (`judgeFleetHealth`),
 * filtered by model, health and `q` (part of the device id, customer id or customer name, any case),
 * ordered failed, at risk, offline, healthy, then the most likely failure first, then by id. Only the
 * page's rows are built: sorting 10,000 small records is what the list costs.
 */
export function listFleetPage(
  devices: readonly FleetEntry[],
  risks: readonly HealthSignal[],
  isOnline: (deviceId: string) => boolean,
  customerNames: ReadonlyMap<string, string>,
  query: FleetDevicesQuery,
): FleetListPage {
  const ofModel = query.model === undefined ? devices : devices.filter((d) => d.model === query.model);
  const judgedDevices = judgeFleetHealth(ofModel, risks, isOnline).devices;
  const nameOf = (d: FleetEntry) =>
    d.customerId === null ? null : (customerNames.get(d.customerId) ?? null);
  const needle = query.q?.toLowerCase() ?? '';
  const matches = (d: FleetEntry) =>
    needle === '' || [d.id, d.customerId, nameOf(d)].some((text) => text?.toLowerCase().includes(needle));
  const ranked: Ranked[] = [];
  for (const entry of ofModel) {
    const judged = judgedDevices.get(entry.id)!;
    if ((query.health !== undefined && judged.health !== query.health) || !matches(entry)) continue;
    ranked.push({ entry, judged, rank: 3 * healthRank[judged.health] + 1 - (judged.maxPFail ?? -1) });
  }
  ranked.sort(worstFirst);
  return {
    total: devices.length,
    matching: ranked.length,
    items: ranked
      .slice(query.offset, query.offset + query.limit)
      .map(({ entry, judged }) => ({ ...entry, customerName: nameOf(entry), ...judged })),
  };
}
