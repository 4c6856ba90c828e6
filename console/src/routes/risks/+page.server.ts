import { dueWithin } from '$lib/format.ts';
import { ticketsDependency } from '$lib/live-keys.ts';
import { riskThresholds } from '$lib/risk-scale.ts';
import { filterRisks, readRiskFilter, sortRisks } from '$lib/risk-table.ts';
import { apiFor } from '$lib/server/api.ts';
import { componentOptions, isDeviceModel, modelOptions } from '$lib/server/catalog-view.ts';
import { latestRisks, maxRisksListed } from '$lib/server/fleet.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { toRiskRow } from '$lib/server/risk-row.ts';
import { ticketsByRisk } from '$lib/server/tickets.ts';
import type { PageServerLoad } from './$types';

const pageSize = 200;

export const load: PageServerLoad = async ({ locals, url, depends }) => {
  depends(ticketsDependency);
  const api = apiFor(locals);
  const filter = readRiskFilter(url.searchParams);
  const model = isDeviceModel(filter.model) ? filter.model : null;
  const options = { models: modelOptions(), components: componentOptions(model) };
  try {
    // The API filters by model, component and probability; the console sorts and pages what matches.
    // A row is drawn from its risk alone (toRiskRow), so no device is read, however large the fleet.
    const [matches, atRisk, critical, scored, tickets] = await Promise.all([
      latestRisks(api, { minP: filter.min, model, component: filter.component }),
      latestRisks(api, { minP: riskThresholds.high }),
      api.getIfAvailable('/api/risks', { safeParse: totalOnly }, { minP: riskThresholds.critical, limit: 1 }),
      api.getIfAvailable('/api/risks', { safeParse: totalOnly }, { limit: 1 }),
      ticketsByRisk(api),
    ]);
    if (matches === null || atRisk === null)
      return { title: 'Risk list', available: false as const, filter, ...options };
    const rows = matches.items.map((r) => toRiskRow(r));
    const matching = sortRisks(filterRisks(rows, filter), filter.sort, filter.dir);
    const pages = Math.max(1, Math.ceil(matching.length / pageSize));
    const page = Math.min(filter.page, pages);
    return {
      title: 'Risk list',
      available: true as const,
      filter: { ...filter, page },
      ...options,
      scored: scored?.total ?? 0,
      atRisk: atRisk.total,
      atRiskDevices: new Set(atRisk.items.map((r) => r.deviceId)).size,
      critical: critical?.total ?? 0,
      // The rule the rows print by: a row that reads "7 days" (7.4) is due within 7.
      dueInWeek: atRisk.items.filter((r) => dueWithin(r.daysLeft, 7)).length,
      matching: matching.length,
      /** More matched than the console lists: narrow the filters. */
      cut: matches.total > maxRisksListed ? matches.total : null,
      pages,
      /** Null when the service has no tickets yet: the column is left out. */
      ticketsAvailable: tickets !== null,
      rows: matching.slice((page - 1) * pageSize, page * pageSize).map((r) => ({
        ...r,
        ticket: tickets?.get(`${r.deviceId}/${r.component}`) ?? null,
      })),
    };
  } catch (err) {
    rethrowForPage(err);
  }
};

/** Reads only the envelope's `total` (the counts above ask for one item). */
function totalOnly(value: unknown) {
  const total = (value as { total?: unknown } | null)?.total;
  return typeof total === 'number'
    ? { success: true as const, data: { total } }
    : { success: false as const, error: { issues: [{ path: ['total'], message: 'expected a number' }] } };
}
