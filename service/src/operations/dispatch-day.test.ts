import { describe, expect, it } from 'vitest';
import { waitingWork } from './dispatch-day.ts';

const day = 86_400_000;

describe('waitingWork', () => {
  it('offers the jobs with no technician due within the week after the day, and counts those due later', () => {
    const dayStart = Date.parse('2026-11-27T00:00:00+05:30');
    const job = (id: string, kind: string, technicianId: string | null, dueInDays: number) => ({
      id,
      kind: kind as 'amc_visit' | 'corrective',
      technicianId,
      slaDueAt: dayStart + dueInDays * day,
    });
    const { backlog, later } = waitingWork(
      [
        job('amc-late-1', 'amc_visit', null, 20),
        job('amc-late-2', 'amc_visit', null, 30),
        job('corrective-late', 'corrective', null, 9),
        job('amc-this-week', 'amc_visit', null, 7),
        job('corrective-today', 'corrective', null, 0.5),
        job('amc-booked', 'amc_visit', 'tech-1', 20),
      ],
      dayStart,
    );
    expect(backlog.map((t) => t.id)).toEqual(['corrective-today', 'amc-this-week']);
    expect(later).toEqual({ jobs: 3, amcVisits: 2 });
  });
});
