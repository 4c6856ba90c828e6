import { describe, expect, it } from 'vitest';
import { type PickerTechnician, technicianGroups, unqualifiedReason } from './dispatch-picker.ts';

function aTechnician(id: string, extra: Partial<PickerTechnician> = {}): PickerTechnician {
  return {
    id,
    name: id,
    available: true,
    note: 'Ambattur Service Point · 30 of 420 min',
    skillIds: ['refrigeration'],
    certifiedSkillIds: [],
    ...extra,
  };
}

describe('technicianGroups', () => {
  const purifier = { skillId: 'water_treatment', certificationRequired: false };

  it('lists the technicians with the job’s skill first and the others disabled, saying why', () => {
    const groups = technicianGroups(purifier, [
      aTechnician('Rajesh'),
      aTechnician('Nandhini', { skillIds: ['water_treatment'] }),
      aTechnician('Ravi', { skillIds: ['water_treatment'], available: false, note: 'not a working day' }),
    ]);
    expect(groups).toEqual([
      {
        label: 'Qualified for water treatment',
        choices: [
          { id: 'Nandhini', label: 'Nandhini — Ambattur Service Point · 30 of 420 min', disabled: false },
          { id: 'Ravi', label: 'Ravi — not a working day', disabled: true },
        ],
      },
      {
        label: 'Not qualified for water treatment',
        choices: [{ id: 'Rajesh', label: 'Rajesh — no water treatment skill', disabled: true }],
      },
    ]);
  });

  it('offers everyone working when the job names no skill', () => {
    const groups = technicianGroups({ skillId: null, certificationRequired: false }, [
      aTechnician('Arun'),
      aTechnician('Bala', { skillIds: ['washing_machines'] }),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.choices.map((c) => c.disabled)).toEqual([false, false]);
  });
});

describe('unqualifiedReason', () => {
  it('asks for a certification valid on the day when the work needs one', () => {
    const gas = { skillId: 'refrigeration', certificationRequired: true };
    expect(unqualifiedReason(gas, aTechnician('Arun'))).toBe(
      'no refrigeration certification valid on the day',
    );
    expect(unqualifiedReason(gas, aTechnician('Bala', { certifiedSkillIds: ['refrigeration'] }))).toBeNull();
  });
});
