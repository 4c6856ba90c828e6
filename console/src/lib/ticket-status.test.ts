import { describe, expect, it } from 'vitest';
import { finishedTicketStatuses, finishedWork, technicianJobStatus, ticketStatus } from './ticket-status.ts';

const at = { resolvedAt: 1_700_000_000_000, closedAt: 1_700_300_000_000 };

describe('finishedWork', () => {
  it('leaves work still to come to its booking', () => {
    for (const status of ['open', 'scheduled', 'dispatched', 'on_site'])
      expect(finishedWork({ status, ...at })).toBeNull();
  });

  it('says a finished ticket was done when it was resolved, not when it was booked', () => {
    // Closed and verified tickets showed their old appointment ("Tue 14:00") as if still to come.
    for (const status of finishedTicketStatuses.filter((s) => s !== 'cancelled'))
      expect(finishedWork({ status, ...at })).toEqual({ label: 'Done', at: at.resolvedAt });
  });

  it('falls back to the closure, and to no time, when the ticket records no resolution', () => {
    expect(finishedWork({ status: 'closed', resolvedAt: null, closedAt: at.closedAt })).toEqual({
      label: 'Done',
      at: at.closedAt,
    });
    expect(finishedWork({ status: 'verified' })).toEqual({ label: 'Done', at: null });
  });

  it('says a cancelled ticket was cancelled, and when', () => {
    expect(finishedWork({ status: 'cancelled', resolvedAt: null, closedAt: at.closedAt })).toEqual({
      label: 'Cancelled',
      at: at.closedAt,
    });
  });
});

describe('technicianJobStatus', () => {
  it('tells a technician what is left to do with a job: accept it, or it is accepted', () => {
    expect(technicianJobStatus('scheduled').label).toBe('To accept');
    expect(technicianJobStatus('dispatched').label).toBe('Accepted');
    expect(technicianJobStatus('on_site')).toEqual(ticketStatus('on_site'));
  });
});
