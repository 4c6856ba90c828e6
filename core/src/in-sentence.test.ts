import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.ts';
import { inSentence } from './in-sentence.ts';

describe('a catalogue label inside a sentence', () => {
  it('starts in lower case, unless it starts with an acronym', () => {
    expect(inSentence(catalog['split-ac'].label)).toBe('split air conditioner');
    expect(inSentence(catalog['water-purifier'].label)).toBe('RO water purifier');
    expect(inSentence('UV lamp ageing')).toBe('UV lamp ageing');
    expect(inSentence('Run capacitor degradation')).toBe('run capacitor degradation');
  });
});
