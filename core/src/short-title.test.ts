import { describe, expect, it } from 'vitest';
import { shortTitle } from './short-title.ts';

describe('shortTitle', () => {
  it('keeps words that fit whole, trimmed', () => {
    expect(shortTitle('  Makes a grinding noise at start ', 80)).toBe('Makes a grinding noise at start');
    const exactly = `${'x'.repeat(70)} 123456789`;
    expect(shortTitle(exactly, 80)).toBe(exactly);
  });

  it('cuts a long text after the last whole word, with an ellipsis, within the length (not mid-word)', () => {
    const long =
      'Since the filter change the water tastes salty and the purifier makes a clicking noise at night';
    const title = shortTitle(long, 80);
    expect(title).toBe('Since the filter change the water tastes salty and the purifier makes a…');
    expect(title.length).toBeLessThanOrEqual(80);
    // The cut falls just after a word: that word is kept.
    expect(
      shortTitle(
        'Water drips from the indoor unit onto the sofa and the wall below it is getting damp too',
        80,
      ),
    ).toBe('Water drips from the indoor unit onto the sofa and the wall below it is getting…');
  });

  it('leaves no comma or colon before the ellipsis', () => {
    expect(shortTitle('Noisy at night, loud clicks every minute', 20)).toBe('Noisy at night…');
    expect(shortTitle('Serials replaced: SN01 SN02 SN03', 21)).toBe('Serials replaced…');
  });

  it('cuts a single word longer than the length with an ellipsis', () => {
    const serials = 'SN00000001'.repeat(30);
    expect(shortTitle(serials, 80)).toBe(`${serials.slice(0, 79)}…`);
    expect(shortTitle(serials, 80)).toHaveLength(80);
    // After other words too: a word that can never fit is cut rather than dropped.
    expect(shortTitle(`Serials: ${serials}`, 80)).toBe(`Serials: ${serials.slice(0, 70)}…`);
    expect(shortTitle(`https://example.com/${'a'.repeat(80)} broken link`, 40)).toBe(
      `https://example.com/${'a'.repeat(19)}…`,
    );
  });
});
