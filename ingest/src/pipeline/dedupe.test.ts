import { describe, expect, it } from 'vitest';
import { SeqDeduplicator } from './dedupe.ts';

const t0 = Date.UTC(2026, 10, 27, 12);
const minute = 60_000;

describe('SeqDeduplicator', () => {
  it('recognises a sample it has seen (same seq, same time) for the same device only', () => {
    const dedupe = new SeqDeduplicator();
    const written = Promise.resolve();
    dedupe.remember('ac-1', 5, t0, written);
    expect(dedupe.seen('ac-1', 5, t0)).toBe(written);
    expect(dedupe.seen('ac-1', 6, t0 + minute)).toBeUndefined();
    expect(dedupe.seen('ac-2', 5, t0)).toBeUndefined();
  });

  it('takes a seq used again at another time for a new sample: the device restarted its counter', () => {
    const dedupe = new SeqDeduplicator();
    const before = Promise.resolve();
    dedupe.remember('ac-1', 1, t0, before);
    expect(dedupe.seen('ac-1', 1, t0 + 10 * minute)).toBeUndefined();
    const after = Promise.resolve();
    dedupe.remember('ac-1', 1, t0 + 10 * minute, after);
    // Its own redelivery is now the copy; the old sample's is no longer expected.
    expect(dedupe.seen('ac-1', 1, t0 + 10 * minute)).toBe(after);
  });

  it('forgets the oldest seqs of a device beyond its window, a seq used again counting as new', () => {
    const dedupe = new SeqDeduplicator(3);
    for (const seq of [1, 2, 3]) dedupe.remember('ac-1', seq, t0 + seq * minute, Promise.resolve());
    dedupe.remember('ac-1', 1, t0 + 9 * minute, Promise.resolve());
    dedupe.remember('ac-1', 4, t0 + 10 * minute, Promise.resolve());
    expect(dedupe.seen('ac-1', 2, t0 + 2 * minute)).toBeUndefined();
    expect(dedupe.seen('ac-1', 1, t0 + 9 * minute)).toBeDefined();
    expect(dedupe.seen('ac-1', 4, t0 + 10 * minute)).toBeDefined();
  });

  it('evicts the least recently active device beyond its bound', () => {
    const dedupe = new SeqDeduplicator(10, 2);
    dedupe.remember('a', 1, t0, Promise.resolve());
    dedupe.remember('b', 1, t0, Promise.resolve());
    dedupe.remember('a', 2, t0 + minute, Promise.resolve());
    dedupe.remember('c', 1, t0, Promise.resolve());
    expect(dedupe.seen('b', 1, t0)).toBeUndefined();
    expect(dedupe.seen('a', 1, t0)).toBeDefined();
  });

  it('lets a failed write be redelivered, and only that sample', () => {
    const dedupe = new SeqDeduplicator();
    dedupe.remember('ac-1', 9, t0, Promise.resolve());
    dedupe.forget('ac-1', 9, t0 + minute);
    expect(dedupe.seen('ac-1', 9, t0)).toBeDefined();
    dedupe.forget('ac-1', 9, t0);
    expect(dedupe.seen('ac-1', 9, t0)).toBeUndefined();
  });
});
