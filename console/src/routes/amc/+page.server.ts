import { shiftMonth, visitMonth } from '$lib/server/amc-months.ts';
import { apiFor } from '$lib/server/api.ts';
import { renewalStep } from '$lib/server/contract-renewals.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { loadAmcCalendar, localDate } from '$lib/server/planning.ts';
import { finishedTicketStatuses } from '$lib/ticket-status.ts';
import type { Actions, PageServerLoad } from './$types';

const monthsShown = 3;

/** AMC: contract visits by month and partner, the visits at risk of missing their window, renewals due. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const askedMonth = url.searchParams.get('month');
  const month = askedMonth && /^\d{4}-(0[1-9]|1[0-2])$/.test(askedMonth) ? askedMonth : undefined;
  const partner = url.searchParams.get('partner') || undefined;
  try {
    const calendar = await loadAmcCalendar(apiFor(locals), {
      ...(month ? { from: month } : {}),
      months: monthsShown,
      ...(partner ? { partnerId: partner } : {}),
    });
    const zone = calendar.timezone;
    const first = localDate(calendar.from, zone).slice(0, 7);
    const months = Array.from({ length: monthsShown }, (_, i) => shiftMonth(first, i));
    const monthLabel = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    const shortLabel = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
    const labelOf = (m: string) => monthLabel.format(new Date(`${m}-01T00:00:00Z`));
    const now = Date.now();
    // Each visit in the month it counts in; one booked or done outside the months shown is not theirs.
    const shown = calendar.visits.flatMap((v) => {
      const month = visitMonth(v, { timezone: zone, now }, months);
      return month === null ? [] : [{ ...v, month }];
    });
    const partnerNames = new Map(calendar.partners.map((p) => [p.id, p.name]));
    const matrix = new Map<
      string,
      Map<string, { total: number; done: number; atRisk: number; missed: number }>
    >();
    for (const v of shown) {
      const row = v.partnerId ?? 'none';
      if (!matrix.has(row))
        matrix.set(row, new Map(months.map((m) => [m, { total: 0, done: 0, atRisk: 0, missed: 0 }])));
      const cell = matrix.get(row)!.get(v.month)!;
      cell.total++;
      if (v.status === 'done') cell.done++;
      if (v.atRisk) cell.atRisk++;
      if (v.status === 'missed') cell.missed++;
    }
    const rows = [...matrix]
      .map(([id, cells]) => ({
        id,
        name: id === 'none' ? 'No partner found' : (partnerNames.get(id) ?? id),
        cells: months.map((m) => cells.get(m)!),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const visits = shown.sort((a, b) => a.dueTo - b.dueTo || a.id.localeCompare(b.id));
    return {
      title: 'AMC',
      timezone: zone,
      month: first,
      previous: shiftMonth(first, -monthsShown),
      next: shiftMonth(first, monthsShown),
      partner: partner ?? '',
      partners: calendar.partners,
      months: months.map((m) => ({
        key: m,
        label: labelOf(m),
        short: shortLabel.format(new Date(`${m}-01T00:00:00Z`)),
      })),
      rows,
      visits,
      atRisk: visits.filter((v) => v.atRisk !== null),
      renewals: calendar.renewals,
      totals: {
        visits: visits.length,
        done: visits.filter((v) => v.status === 'done').length,
        // Booked: still to come. A visit whose ticket's work is over is done, whatever its booking said.
        booked: visits.filter(
          (v) =>
            v.appointmentStart !== null &&
            v.status !== 'done' &&
            !(v.ticketStatus !== null && finishedTicketStatuses.includes(v.ticketStatus)),
        ).length,
        atRisk: visits.filter((v) => v.atRisk !== null).length,
        missed: visits.filter((v) => v.status === 'missed').length,
        renewals: calendar.renewals.length,
        renewalsSoon: calendar.renewals.filter((r) => r.endsAt - now <= 30 * 86_400_000).length,
      },
    };
  } catch (err) {
    rethrowForPage(err);
  }
};

export const actions: Actions = {
  renewal: async ({ locals, request }) => renewalStep(apiFor(locals), await request.formData()),
};
