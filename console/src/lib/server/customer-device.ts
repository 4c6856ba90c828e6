import {
  fleetHealthRules,
  serviceDeviceDetailSchema,
  type TicketKind,
  ticketPageSchema,
} from '@aftercare/core';
import { error } from '@sveltejs/kit';
import { formatAgo } from '../format.ts';
import { riskLevel } from '../risk-scale.ts';
import { ApiError, apiFor } from './api.ts';
import { modelLabel } from './catalog-view.ts';
import { loadContractBook, loadCustomerContracts, planOfContract } from './customer-contracts.ts';
import { loadDeviceVisits } from './customer-visits.ts';
import {
  type CoverageView,
  comingCoverageWords,
  healthWords,
  reportedWords,
  visitKindWords,
} from './customer-words.ts';
import { currentRisks } from './device-view.ts';
import { rethrowForPage } from './http-errors.ts';
import { latestReadings } from './latest-readings.ts';

/** How many past visits the device page lists. */
const visitLimit = 12;

const openStatuses = 'open,scheduled,dispatched,on_site';

/** What each risk level means for the customer, for the collapsed health checks. */
const levelWords = {
  low: 'No concern',
  watch: 'Watching it',
  high: 'Showing wear',
  critical: 'Needs attention',
} as const;

/** Work open on the device, as the "coming up" card and the next-visit figure tell it. */
export interface OpenWork {
  id: string;
  /** "Preventive repair", "Repair you asked for", … */
  kind: string;
  title: string;
  status: string;
  appointment: { start: number; end: number } | null;
  /** Who pays for it, said before the technician comes. */
  coverage: CoverageView;
}

/** What open work is about, under its kind; the planners' titles of visits say "AMC" and nothing more. */
function openWorkTitle(ticket: { kind: TicketKind; title: string }, device: string): string {
  if (ticket.kind === 'amc_visit') return 'under your contract';
  if (ticket.kind === 'installation') return '';
  // The page is the device's: its name at the end of a title says nothing new.
  return reportedWords(ticket.title.replace(` — ${device}`, ''));
}

/**
 * The customer's own device, led by what they care about: is it well, is a visit planned, their
 * contract and warranty, and what was done on earlier visits; the readings come last, in words.
 * The API answers 404 for another customer's device, which becomes this page's 404.
 */
export async function loadCustomerDevice({ locals, params }: { locals: App.Locals; params: { id: string } }) {
  const api = apiFor(locals);
  const notFound = `There is no device "${params.id}" that you can see.`;
  const now = Date.now();
  try {
    const device = await api
      .get(`/api/devices/${encodeURIComponent(params.id)}`, serviceDeviceDetailSchema)
      .catch((err) => {
        // An id the API refuses as malformed cannot name a device either.
        if (err instanceof ApiError && err.status === 400) error(404, notFound);
        throw err;
      });
    const label = modelLabel(device.model);
    const [risks, tickets, book] = await Promise.all([
      currentRisks(api, device.id),
      api.getIfAvailable('/api/tickets', ticketPageSchema, {
        deviceId: device.id,
        status: openStatuses,
        sort: 'appointment',
        limit: 20,
      }),
      loadContractBook(api),
    ]);
    const open: OpenWork[] = (tickets?.items ?? []).map((t) => ({
      id: t.id,
      kind: visitKindWords[t.kind],
      title: openWorkTitle(t, label),
      status: t.status,
      appointment: t.appointment,
      coverage: comingCoverageWords(t.coverage, planOfContract(book, t.contractId)),
    }));
    const appointments = new Map(open.map((t) => [t.id, t.appointment]));
    const [contracts, pastVisits] = await Promise.all([
      book ? loadCustomerContracts(api, book, { now, appointments, deviceId: device.id }) : null,
      loadDeviceVisits(api, { book, deviceId: device.id, model: device.model, limit: visitLimit, now }),
    ]);

    const worrying = risks?.find((r) => r.pFail >= fleetHealthRules.atRiskProbability) ?? null;
    const lastHeard = formatAgo(device.lastSeen, now);
    return {
      title: label,
      device: {
        id: device.id,
        label,
        serial: device.serial,
        installedAt: device.installedAt,
        online: device.online,
        lastHeard,
      },
      health: {
        state: device.health,
        ...healthWords(
          device.health,
          label,
          worrying?.componentLabel ?? null,
          lastHeard,
          (tickets?.items ?? []).some((t) => t.kind === 'corrective' || t.kind === 'predictive'),
        ),
      },
      warrantyEndsAt: device.warrantyEndsAt,
      contracts,
      open,
      /** The next maintenance visit due under a contract, unless a ticket open above carries it out. */
      due:
        contracts
          ?.map((c) => c.visits.next)
          .find((v) => v !== null && (v.ticketId === null || !appointments.has(v.ticketId))) ?? null,
      pastVisits,
      readings: latestReadings(device.model, device.latest),
      checks:
        risks?.map((r) => ({
          component: r.componentLabel,
          level: levelWords[riskLevel(r.pFail)],
          tone: riskLevel(r.pFail),
          pFail: r.pFail,
          horizonDays: r.horizonDays,
        })) ?? null,
      checkedAt: risks?.[0]?.scoredAt ?? null,
      now,
    };
  } catch (err) {
    rethrowForPage(err, notFound);
  }
}

export type CustomerDeviceData = Awaited<ReturnType<typeof loadCustomerDevice>>;
