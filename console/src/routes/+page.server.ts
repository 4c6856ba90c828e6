import { ticketsDependency } from '$lib/live-keys.ts';
import { apiFor } from '$lib/server/api.ts';
import { loadFleetSummary } from '$lib/server/fleet.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { loadPreventionFigures } from '$lib/server/prevention.ts';
import { ticketSummary } from '$lib/server/tickets.ts';
import type { PageServerLoad } from './$types';

const topRiskCount = 12;

/**
 * The overview reads counts, not lists: the fleet by model and health and the top risks in one call
 * (GET /api/fleet/summary), so it stays fast with 10,000 devices.
 */
export const load: PageServerLoad = async ({ locals, depends }) => {
  depends(ticketsDependency);
  const api = apiFor(locals);
  try {
    const [fleet, tickets, prevention] = await Promise.all([
      loadFleetSummary(api, topRiskCount),
      ticketSummary(api),
      loadPreventionFigures(api),
    ]);
    return {
      title: 'Fleet overview',
      deviceCount: fleet.devices,
      online: fleet.online,
      byModel: fleet.rows,
      totals: fleet.totals,
      scoredComponents: fleet.scoredComponents,
      openRiskCount: fleet.atRiskComponents,
      lastScored: fleet.lastScoredAt,
      topRisks: fleet.topRisks,
      tickets,
      prevention,
    };
  } catch (err) {
    rethrowForPage(err);
  }
};
