import type { DispatchBoardJob, DispatchBoardTechnician, DispatchDayView } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { buildBoard } from './planning-board.ts';

const dayStart = Date.parse('2026-11-27T00:00:00+05:30');
const at = (hhmm: string) => Date.parse(`2026-11-27T${hhmm}:00+05:30`);

function aTechnician(
  id: string,
  name: string,
  extra: Partial<DispatchBoardTechnician> = {},
): DispatchBoardTechnician {
  return {
    id,
    name,
    partnerId: 'p1',
    partnerName: 'Velachery Authorised Service Centre',
    home: { lat: 13, lon: 80.2 },
    workingHours: { start: at('09:00'), end: at('18:00') },
    available: true,
    unavailableReason: null,
    skills: [{ skill: 'refrigeration', certifiedUntil: null }],
    capacityMinutes: 420,
    workMinutes: 0,
    travelKm: 0,
    travelMinutes: 0,
    warnings: [],
    ...extra,
  };
}

function aJob(ticketId: string, technicianId: string | null, start: string, end: string): DispatchBoardJob {
  return {
    key: ticketId,
    ticketId,
    title: 'Not cooling',
    kind: 'corrective',
    status: 'scheduled',
    priority: 'normal',
    version: 2,
    deviceId: 'sim-sp-00001',
    customerName: 'Asha Kulkarni',
    siteName: "Asha Kulkarni's home",
    position: { lat: 13, lon: 80.25 },
    skill: 'refrigeration',
    certificationRequired: false,
    durationMinutes: 90,
    slaDueAt: at('16:00'),
    appointment: { start: at(start), end: at(end) },
    technicianId,
    made: null,
    arriveAt: at(start) - 5 * 60_000,
    startAt: at(start),
    endAt: at(end),
    travelKm: 12.4,
    travelMinutes: 24.8,
    slaMet: true,
    waitsForRouteFill: false,
  };
}

function aDay(technicians: DispatchBoardTechnician[], jobs: DispatchBoardJob[]): DispatchDayView {
  return {
    date: '2026-11-27',
    timezone: 'Asia/Kolkata',
    dayStart,
    dayEnd: dayStart + 86_400_000,
    technicians,
    jobs,
    unassigned: [],
    waitingLater: { jobs: 0, amcVisits: 0 },
    bookingNotice: { preventiveMinutes: 240, correctiveMinutes: 60 },
    figures: {
      jobs: jobs.length,
      assigned: jobs.length,
      unassigned: 0,
      slaMet: jobs.length,
      slaMissed: 0,
      travelKm: 0,
      travelMinutes: 0,
      workMinutes: 0,
      capacityMinutes: 0,
      techniciansUsed: 0,
    },
  };
}

describe('buildBoard', () => {
  it('spans whole hours around the working day and the first drive, labelled in the technicians’ zone', () => {
    const board = buildBoard(aDay([aTechnician('t1', 'Arun')], [aJob('j1', 't1', '09:30', '11:00')]), 0);
    // The drive to the 09:30 job starts at 09:00: the axis runs 09:00–18:00.
    expect(board.ticks.map((t) => t.label)).toEqual([
      '09:00',
      '10:00',
      '11:00',
      '12:00',
      '13:00',
      '14:00',
      '15:00',
      '16:00',
      '17:00',
      '18:00',
    ]);
    const job = board.rows[0]!.jobs[0]!;
    expect(job.time).toBe('09:30–11:00');
    expect(job.startValue).toBe('09:30');
    expect(job.left).toBeCloseTo((0.5 / 9) * 100, 5);
    expect(job.width).toBeCloseTo((1.5 / 9) * 100, 5);
    expect(job.slaPct).toBeCloseTo((7 / 9) * 100, 5);
    expect(job.travel).toBe('12.4 km, 25 min drive');
    // A household's site is named after its customer: said once.
    expect(job.who).toBe("Asha Kulkarni's home");
    // Two jobs of a kind at one site differ by their device, which the board names.
    expect(job.deviceId).toBe('sim-sp-00001');
  });

  it('keeps work begun or done on its day, marked so, and only work not begun may be moved', () => {
    const jobs = [
      { ...aJob('j1', 't1', '09:30', '10:30'), status: 'closed' },
      { ...aJob('j2', 't1', '11:00', '12:00'), status: 'on_site' },
      { ...aJob('j3', 't1', '13:00', '14:00'), status: 'dispatched' },
      // A visit made at 15:00 whose ticket was reopened since: the visit is done, the ticket open.
      {
        ...aJob('j4', 't1', '15:00', '15:40'),
        status: 'open',
        appointment: null,
        made: { start: at('15:00'), end: at('15:40') },
      },
    ] satisfies DispatchBoardJob[];
    const board = buildBoard(aDay([aTechnician('t1', 'Arun')], jobs), 0);
    expect(board.rows[0]!.jobs.map((j) => [j.ticketId, j.progress])).toEqual([
      ['j1', 'done'],
      ['j2', 'on_site'],
      ['j3', 'to_do'],
      ['j4', 'done'],
    ]);
  });

  it('puts busy technicians first, then those free, then those off, by name', () => {
    const board = buildBoard(
      aDay(
        [
          aTechnician('t1', 'Zara'),
          aTechnician('t2', 'Bala', {
            available: false,
            workingHours: null,
            unavailableReason: 'not a working day',
          }),
          aTechnician('t3', 'Meena'),
          aTechnician('t4', 'Anitha'),
        ],
        [aJob('j1', 't1', '10:00', '11:00')],
      ),
      0,
    );
    expect(board.rows.map((r) => r.name)).toEqual(['Zara', 'Anitha', 'Meena', 'Bala']);
    expect(board.rows[3]).toMatchObject({ hours: null, unavailableReason: 'not a working day' });
    expect(board.technicians.find((t) => t.id === 't2')!.note).toBe('not a working day');
  });

  it('draws a drive ending where the job starts, not at the earliest arrival before a wait', () => {
    // The route could arrive at 08:10 and then wait for the 13:45 slot: the technician leaves at 13:20.
    const job = { ...aJob('j1', 't1', '13:45', '14:30'), arriveAt: at('08:10'), travelMinutes: 25 };
    const board = buildBoard(aDay([aTechnician('t1', 'Arun')], [job]), 0);
    const drawn = board.rows[0]!.jobs[0]!;
    expect(drawn.leaves).toBe('13:20');
    expect(drawn.travelLeft! + drawn.travelWidth!).toBeCloseTo(drawn.left, 5);
    expect(drawn.travelWidth).toBeCloseTo((25 / 60 / 9) * 100, 5);
  });

  it('draws a late arrival’s drive ending at the late start', () => {
    const job = {
      ...aJob('j1', 't1', '10:00', '11:00'),
      arriveAt: at('10:40'),
      startAt: at('10:40'),
      endAt: at('11:40'),
      travelMinutes: 40,
    };
    const drawn = buildBoard(aDay([aTechnician('t1', 'Arun')], [job]), 0).rows[0]!.jobs[0]!;
    expect(drawn.leaves).toBe('10:00');
    expect(drawn.travelLeft! + drawn.travelWidth!).toBeCloseTo(drawn.left, 5);
  });

  it('writes a short job’s name and time beside its box, in the room up to the next drive', () => {
    const short = aJob('j1', 't1', '13:45', '14:30');
    const next = { ...aJob('j2', 't1', '16:00', '17:30'), travelMinutes: 30 };
    const long = aJob('j3', 't2', '10:00', '12:00');
    const board = buildBoard(
      aDay([aTechnician('t1', 'Arun'), aTechnician('t2', 'Bala')], [short, next, long]),
      0,
    );
    const [first, second] = board.rows.find((r) => r.id === 't1')!.jobs;
    // 45 minutes of a 9-hour axis: too narrow for the label, which goes beside it up to the 15:30 drive.
    expect(first!.labelOutside).toBe(true);
    expect(first!.labelRoom).toBeCloseTo((1 / 9) * 100, 5);
    expect(second!.labelOutside).toBe(false);
    // Two hours hold the label inside.
    expect(board.rows.find((r) => r.id === 't2')!.jobs[0]!.labelOutside).toBe(false);
  });

  it('says on today’s board that the customer notice keeps new work back, as long as the service says', () => {
    const day = aDay([aTechnician('t1', 'Arun')], [aJob('j1', 't1', '13:45', '14:30')]);
    const board = buildBoard(day, at('09:40'));
    expect(board.notice?.text).toBe(
      'New preventive and AMC visits are booked at least 4 h ahead (customer notice), so none starts before 13:40; a problem a customer reports can be booked 1 h ahead, from 10:40.',
    );
    expect(board.notice?.endPct).toBeCloseTo(((4 + 40 / 60) / 9) * 100, 5);
    const shorter = buildBoard(
      { ...day, bookingNotice: { preventiveMinutes: 180, correctiveMinutes: 60 } },
      at('09:40'),
    );
    expect(shorter.notice?.text).toMatch(/at least 3 h ahead .* before 12:40/);
    // The evening before, the notice still reaches the morning.
    expect(buildBoard(day, at('07:00') - 86_400_000)).toMatchObject({ notice: null });
    expect(buildBoard(day, at('23:00') - 86_400_000).notice?.text).toContain('none starts before 03:00');
    expect(buildBoard(day, at('20:00')).notice?.text).toContain('none starts today');
  });

  it('lists the skills each technician is certified in for the whole day', () => {
    const board = buildBoard(
      aDay(
        [
          aTechnician('t1', 'Arun', {
            skills: [
              { skill: 'refrigeration', certifiedUntil: at('18:00') },
              { skill: 'water_treatment', certifiedUntil: at('23:59') + 86_400_000 },
            ],
          }),
        ],
        [],
      ),
      0,
    );
    expect(board.technicians[0]).toMatchObject({
      skillIds: ['refrigeration', 'water_treatment'],
      certifiedSkillIds: ['water_treatment'],
    });
  });
});
