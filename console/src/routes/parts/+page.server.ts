import { PART_RETURN_DAYS } from '@aftercare/core';
import { apiFor } from '$lib/server/api.ts';
import { modelLabel } from '$lib/server/catalog-view.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { cancelTransfer, receiveReturn, transferArrived } from '$lib/server/parts-actions.ts';
import { dueOffset, duePageSize, loadPartReturns } from '$lib/server/parts-returns.ts';
import { loadParts } from '$lib/server/planning.ts';
import type { Actions, PageServerLoad } from './$types';

const kindLabel = { central_warehouse: 'Warehouse', partner_depot: 'Partner depot', van: 'Van' } as const;

/**
 * Spare parts: stock per location, reservations, transfers on the road (to mark arrived or call
 * back), what will run short, and the defective parts due back from jobs (to mark received).
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  try {
    const api = apiFor(locals);
    const [{ overview, shortfall }, returns] = await Promise.all([
      loadParts(api),
      loadPartReturns(api, dueOffset(url.searchParams.get('due'))),
    ]);
    const names = new Map(shortfall.items.map((p) => [p.sku, p.name]));
    const showAll = url.searchParams.get('all') === '1';
    const watch = shortfall.items.filter((p) => p.status !== 'ok' || p.atRisk > 0);
    return {
      title: 'Parts',
      showAll,
      totals: {
        locations: overview.locations.length,
        onHand: overview.locations.reduce((s, l) => s + l.onHand, 0),
        reserved: overview.locations.reduce((s, l) => s + l.reserved, 0),
        inTransit: overview.transfers.reduce((s, t) => s + t.quantity, 0),
        short: shortfall.items.filter((p) => p.status === 'short').length,
        tight: shortfall.items.filter((p) => p.status === 'tight').length,
        atRisk: shortfall.items.reduce((s, p) => s + p.atRisk, 0),
      },
      parts: (showAll ? shortfall.items : watch).map((p) => ({ ...p, modelLabel: modelLabel(p.model) })),
      hidden: showAll ? 0 : shortfall.items.length - watch.length,
      locations: overview.locations.map((l) => ({
        ...l,
        kindLabel: kindLabel[l.kind],
        levels: l.levels.map((x) => ({ ...x, name: names.get(x.sku) ?? x.sku })),
      })),
      transfers: overview.transfers.map((t) => ({ ...t, name: names.get(t.sku) ?? t.sku })),
      reservations: overview.reservations.map((r) => ({ ...r, name: names.get(r.sku) ?? r.sku })),
      returns,
      duePageSize,
      lateAfterDays: PART_RETURN_DAYS,
      // Where a defective unit is handed in: the warehouse or a partner's depot, not a van.
      receivingPlaces: overview.locations
        .filter((l) => l.kind !== 'van')
        .map((l) => ({ id: l.id, name: l.name })),
    };
  } catch (err) {
    rethrowForPage(err);
  }
};

export const actions: Actions = {
  receiveReturn: async ({ locals, request }) => receiveReturn(apiFor(locals), await request.formData()),
  transferArrived: async ({ locals, request }) => transferArrived(apiFor(locals), await request.formData()),
  cancelTransfer: async ({ locals, request }) => cancelTransfer(apiFor(locals), await request.formData()),
};
