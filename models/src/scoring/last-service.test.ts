import { describe, expect, it } from 'vitest';
import { type LastServiceSource, withLastService } from './last-service.ts';

const source = (times: Record<string, number>): LastServiceSource & { asked: string[][] } => {
  const asked: string[][] = [];
  return {
    asked,
    async lastServiceAt(ids, asOf) {
      asked.push([...ids]);
      return new Map(Object.entries(times).filter(([id, t]) => ids.includes(id) && t <= asOf));
    },
  };
};

describe('withLastService', () => {
  it('fills each device from the service records and leaves never-serviced devices without one', async () => {
    const records = source({ a: 1_000, b: 2_000 });
    const devices = await withLastService(
      [
        { deviceId: 'a', model: 'split-ac', installedAt: 10 },
        { deviceId: 'c', model: 'refrigerator' },
      ],
      records,
      5_000,
    );
    expect(records.asked).toEqual([['a', 'c']]);
    expect(devices).toEqual([
      { deviceId: 'a', model: 'split-ac', installedAt: 10, lastServiceAt: 1_000 },
      { deviceId: 'c', model: 'refrigerator' },
    ]);
  });

  it('keeps the later of a time the list carries and the recorded one; ignores records after asOf', async () => {
    const devices = await withLastService(
      [
        { deviceId: 'a', model: 'split-ac', lastServiceAt: 3_000 },
        { deviceId: 'b', model: 'split-ac', lastServiceAt: 500 },
        { deviceId: 'f', model: 'split-ac' },
      ],
      // A source that does not filter by asOf itself: f's service comes after the scoring time.
      {
        lastServiceAt: async () =>
          new Map([
            ['a', 1_000],
            ['b', 2_000],
            ['f', 9_000],
          ]),
      },
      5_000,
    );
    expect(devices.map((d) => d.lastServiceAt)).toEqual([3_000, 2_000, undefined]);
  });
});
