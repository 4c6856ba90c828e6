import { describe, expect, it } from 'vitest';
import { EventLog, parseEventId } from './event-log.ts';

const ids = (entries: { id: number }[]) => entries.map((entry) => entry.id);

describe('EventLog', () => {
  it('numbers entries one up from the first id', () => {
    const log = new EventLog<string>(10, 500);
    expect([log.append('a'), log.append('b')]).toEqual([
      { id: 500, value: 'a' },
      { id: 501, value: 'b' },
    ]);
  });

  it('gives back the entries after an id, oldest first', () => {
    const log = new EventLog<string>(10);
    for (const value of ['a', 'b', 'c', 'd']) log.append(value);
    expect(log.after(2).map((entry) => entry.value)).toEqual(['c', 'd']);
    expect(log.after(4)).toEqual([]);
  });

  it('keeps only the last `capacity` entries, and gives them all to an id older than those', () => {
    const log = new EventLog<number>(3);
    for (let i = 1; i <= 7; i += 1) log.append(i);
    expect(ids(log.after(0))).toEqual([5, 6, 7]);
    expect(ids(log.after(4))).toEqual([5, 6, 7]);
    expect(ids(log.after(5))).toEqual([6, 7]);
  });

  it('gives nothing to an id it has not handed out yet', () => {
    const log = new EventLog<number>(3);
    log.append(1);
    expect(log.after(99)).toEqual([]);
  });

  it('with no room numbers entries but keeps none', () => {
    const log = new EventLog<string>(0);
    expect(log.append('a').id).toBe(1);
    expect(log.after(0)).toEqual([]);
  });
});

describe('parseEventId', () => {
  it('reads a whole number and nothing else', () => {
    expect(parseEventId('1750000000000000')).toBe(1750000000000000);
    expect(parseEventId(' 42 ')).toBe(42);
    for (const value of [undefined, '', '-1', '1.5', 'abc', '99999999999999999', ['1']])
      expect(parseEventId(value), String(value)).toBeNull();
  });
});
