import { describe, expect, it } from 'vitest';
import { catalog, componentLabel, deviceModels } from './catalog.ts';

describe('the catalogue', () => {
  it('names every component a failure mode can flag', () => {
    for (const model of deviceModels)
      for (const mode of catalog[model].failureModes)
        expect(componentLabel(mode.component), mode.id).not.toBeNull();
  });

  it('keeps acronyms planners know', () => {
    expect(componentLabel('ro_membrane')).toBe('RO membrane');
    expect(componentLabel('uv_lamp')).toBe('UV lamp');
    expect(componentLabel('toString')).toBeNull();
  });
});
