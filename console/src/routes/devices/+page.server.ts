import { type HealthState, healthStates } from '$lib/fleet-health.ts';
import { apiFor } from '$lib/server/api.ts';
import { modelLabel, modelOptions } from '$lib/server/catalog-view.ts';
import { customerNames } from '$lib/server/customer-names.ts';
import { loadFleet } from '$lib/server/fleet.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import type { PageServerLoad } from './$types';

const pageSize = 200;
const healthRank: Record<HealthState, number> = { failed: 0, at_risk: 1, offline: 2, healthy: 3 };

export const load: PageServerLoad = async ({ locals, url }) => {
  const params = url.searchParams;
  const model = params.get('model') || null;
  const healthParam = params.get('health');
  const health = healthStates.includes(healthParam as HealthState) ? (healthParam as HealthState) : null;
  const q = (params.get('q') ?? '').trim().toLowerCase().slice(0, 64);
  const pageParam = Number(params.get('page'));
  try {
    const api = apiFor(locals);
    const fleet = await loadFleet(api);
    // Every owner's name, read once (the list, not a call per row): the search matches names too.
    const names = await customerNames(
      api,
      fleet.devices.map((d) => d.customerId),
    );
    const customerOf = (d: { customerId?: string | null }) =>
      d.customerId ? { id: d.customerId, name: names.get(d.customerId) ?? null } : null;
    const matches = (d: (typeof fleet.devices)[number]) => {
      if (q === '') return true;
      const customer = customerOf(d);
      return [d.id, customer?.id, customer?.name].some((s) => s?.toLowerCase().includes(q));
    };
    const matching = fleet.devices
      .filter(
        (d) =>
          (model === null || d.model === model) && (health === null || d.health === health) && matches(d),
      )
      // Worst first, then the most likely to fail, then by id: the order a planner works through them.
      .sort(
        (a, b) =>
          healthRank[a.health] - healthRank[b.health] ||
          (b.maxPFail ?? -1) - (a.maxPFail ?? -1) ||
          a.id.localeCompare(b.id),
      );
    const pages = Math.max(1, Math.ceil(matching.length / pageSize));
    const page = Number.isInteger(pageParam) && pageParam > 1 ? Math.min(pageParam, pages) : 1;
    return {
      title: 'Devices',
      filter: { model, health, q, page },
      models: modelOptions(),
      presence: fleet.presence,
      risksAvailable: fleet.risks !== null,
      /** Risks below this are not fetched for the list (see loadFleet). */
      listedFrom: fleet.risksFrom,
      total: fleet.devices.length,
      matching: matching.length,
      pages,
      rows: matching.slice((page - 1) * pageSize, page * pageSize).map((d) => ({
        id: d.id,
        model: d.model,
        modelLabel: modelLabel(d.model),
        customer: customerOf(d),
        serial: d.serial,
        health: d.health,
        online: d.online,
        lastSeen: d.lastSeen,
        maxPFail: d.maxPFail,
        installedAt: d.installedAt,
      })),
    };
  } catch (err) {
    rethrowForPage(err);
  }
};
