import { describe, expect, it } from 'vitest';
import { waitWords } from './wait-words.ts';

describe('a wait in words', () => {
  it("says the service's Retry-After as a person would", () => {
    expect(waitWords(899)).toBe('about 15 minutes');
    expect(waitWords(75)).toBe('a minute');
    expect(waitWords(30)).toBe('30 seconds');
  });

  it('stays vague, not wrong, when the service did not say', () => {
    expect(waitWords(null)).toBe('a few minutes');
  });
});
