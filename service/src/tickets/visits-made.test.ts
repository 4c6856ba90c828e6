import { describe, expect, it } from 'vitest';
import { type VisitLogStep, visitsMade } from './visits-made.ts';

const hour = 3_600_000;
const step = (
  at: number,
  fromStatus: VisitLogStep['fromStatus'],
  toStatus: VisitLogStep['toStatus'],
  technicianId?: string,
): VisitLogStep => ({
  at,
  action: technicianId ? 'scheduled' : 'step',
  fromStatus,
  toStatus,
  technicianId: technicianId ?? null,
  slot: technicianId ? { start: at + hour, end: at + 2 * hour } : null,
});

describe('visitsMade', () => {
  it('tells each visit from the arrival on site to the step that left it, with who was booked for it', () => {
    const steps = [
      step(0, null, 'open'),
      step(1 * hour, 'open', 'scheduled', 'tech-05'),
      // Re-planned before anyone went.
      step(1.5 * hour, 'scheduled', 'scheduled', 'tech-08'),
      step(2 * hour, 'scheduled', 'dispatched'),
      step(3 * hour, 'dispatched', 'on_site'),
      // A part fitted on site is a step that stays there.
      step(3.5 * hour, 'on_site', 'on_site'),
      step(4 * hour, 'on_site', 'resolved'),
      step(30 * hour, 'resolved', 'flagged_for_review'),
      step(31 * hour, 'flagged_for_review', 'open'),
      step(32 * hour, 'open', 'scheduled', 'tech-05'),
      step(50 * hour, 'scheduled', 'dispatched'),
      step(51 * hour, 'dispatched', 'on_site'),
    ];
    expect(visitsMade(steps)).toEqual([
      {
        start: 3 * hour,
        end: 4 * hour,
        technicianId: 'tech-08',
        booked: { start: 2.5 * hour, end: 3.5 * hour },
      },
      { start: 51 * hour, end: null, technicianId: 'tech-05', booked: { start: 33 * hour, end: 34 * hour } },
    ]);
  });

  it('ends a visit no earlier than it began when the clock stepped back', () => {
    const steps = [
      step(1 * hour, null, 'scheduled', 'tech-05'),
      step(5 * hour, 'dispatched', 'on_site'),
      step(4 * hour, 'on_site', 'resolved'),
    ];
    expect(visitsMade(steps)).toEqual([
      { start: 5 * hour, end: 5 * hour, technicianId: 'tech-05', booked: { start: 2 * hour, end: 3 * hour } },
    ]);
  });

  it('names nobody for a visit whose booking the log does not name', () => {
    expect(
      visitsMade([step(1 * hour, 'dispatched', 'on_site'), step(2 * hour, 'on_site', 'resolved')]),
    ).toEqual([{ start: 1 * hour, end: 2 * hour, technicianId: null, booked: null }]);
  });
});
