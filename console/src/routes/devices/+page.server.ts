import { fleetDevicesSchema } from '@aftercare/core';
import { type HealthState, healthStates } from '$lib/fleet-health.ts';
import { riskThresholds } from '$lib/risk-scale.ts';
import { apiFor } from '$lib/server/api.ts';
import { isDeviceModel, modelLabel, modelOptions } from '$lib/server/catalog-view.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import type { PageServerLoad } from './$types';

const pageSize = 200;

/**
 * One page of the fleet, worst first: the service judges, filters, orders and pages every device
 * (GET /api/fleet/devices), so a page of a 10,000-device fleet is one call, not the whole fleet.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const params = url.searchParams;
  const modelParam = params.get('model');
  const model = isDeviceModel(modelParam) ? modelParam : null;
  const healthParam = params.get('health');
  const health = healthStates.includes(healthParam as HealthState) ? (healthParam as HealthState) : null;
  const q = (params.get('q') ?? '').trim().toLowerCase().slice(0, 64);
  const pageParam = Number(params.get('page'));
  const asked = Number.isInteger(pageParam) && pageParam > 1 ? pageParam : 1;
  try {
    const api = apiFor(locals);
    const pageOf = (page: number) =>
      api.get('/api/fleet/devices', fleetDevicesSchema, {
        model,
        health,
        q,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
    let list = await pageOf(asked);
    const pages = Math.max(1, Math.ceil(list.matching / pageSize));
    // A page past the end (the fleet shrank, a link was edited) shows the last one.
    const page = Math.min(asked, pages);
    if (page !== asked) list = await pageOf(page);
    return {
      title: 'Devices',
      filter: { model, health, q, page },
      models: modelOptions(),
      /** A device's highest risk below this shows as "below", as the risk list's watch level. */
      shownFrom: riskThresholds.watch,
      total: list.total,
      matching: list.matching,
      pages,
      rows: list.items.map((d) => ({
        id: d.id,
        model: d.model,
        modelLabel: modelLabel(d.model),
        customer: d.customerId ? { id: d.customerId, name: d.customerName } : null,
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
