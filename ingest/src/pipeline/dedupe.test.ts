import { describe, expect, it } from 'vitest';
import { SeqDeduplicator } from './dedupe.ts';

describe('SeqDeduplicator', () => {
  it('recognises a seq it has seen for the same device only', () => {
    const dedupe = new SeqDeduplicator();
    const written = Promise.resolve();
    dedupe.remember('ac-1', 5, written);
    expect(dedupe.seen('ac-1', 5)).toBe(written);
    expect(dedupe.seen('ac-1', 6)).toBeUndefined();
    expect(dedupe.seen('ac-2', 5)).toBeUndefined();
  });

  it('forgets the oldest seqs of a device beyond its window', () => {
    const dedupe = new SeqDeduplicator(3);
    for (const seq of [1, 2, 3, 4]) dedupe.remember('ac-1', seq, Promise.resolve());
    expect(dedupe.seen('ac-1', 1)).toBeUndefined();
    expect(dedupe.seen('ac-1', 4)).toBeDefined();
  });

  it('evicts the least recently active device beyond its bound', () => {
    const dedupe = new SeqDeduplicator(10, 2);
    dedupe.remember('a', 1, Promise.resolve());
    dedupe.remember('b', 1, Promise.resolve());
    dedupe.remember('a', 2, Promise.resolve());
    dedupe.remember('c', 1, Promise.resolve());
    expect(dedupe.seen('b', 1)).toBeUndefined();
    expect(dedupe.seen('a', 1)).toBeDefined();
  });

  it('lets a failed write be redelivered', () => {
    const dedupe = new SeqDeduplicator();
    dedupe.remember('ac-1', 9, Promise.resolve());
    dedupe.forget('ac-1', 9);
    expect(dedupe.seen('ac-1', 9)).toBeUndefined();
  });
});
