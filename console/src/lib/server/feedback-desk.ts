import { feedbackSchema, type ListedFeedback, listedFeedbackSchema, pageSchema } from '@aftercare/core';
import { fail } from '@sveltejs/kit';
import type { ApiClient } from './api.ts';
import { resolutionDays, resolutionFigure } from './complaint-resolution.ts';
import { complaintResolutionForm, parseForm } from './form-schemas.ts';
import { loadKpis } from './insights.ts';
import { perform } from './ticket-actions.ts';

const feedbackPage = pageSchema(listedFeedbackSchema);
const hourMs = 3_600_000;

/** How many open complaints the desk lists: more than a desk works through in a day. */
export const openComplaintLimit = 100;
/** One customer's verdict as the desk reads it: who, about which job, what they said. */
export interface DeskFeedback {
  id: string;
  ticketId: string;
  ticketTitle: string;
  deviceId: string;
  customer: string;
  csat: number;
  nps: number;
  comment: string | null;
  complaint: boolean;
  createdAt: number;
  /** When the job was done; null if it never was. */
  jobDoneAt: number | null;
  resolvedAt: number | null;
  resolution: string | null;
  resolvedBy: string | null;
  /** Hours from the feedback to its resolution, for a closed complaint. */
  tookHours: number | null;
}

export function toDeskFeedback(f: ListedFeedback): DeskFeedback {
  return {
    id: f.id,
    ticketId: f.ticketId,
    ticketTitle: f.ticketTitle,
    deviceId: f.deviceId,
    customer: f.customerName ?? f.customerId,
    csat: f.csat,
    nps: f.nps,
    comment: f.comment,
    complaint: f.complaint,
    createdAt: f.createdAt,
    jobDoneAt: f.ticketResolvedAt,
    resolvedAt: f.complaintResolvedAt,
    resolution: f.complaintResolution,
    resolvedBy: f.complaintResolvedBy,
    tookHours: f.complaintResolvedAt === null ? null : (f.complaintResolvedAt - f.createdAt) / hourMs,
  };
}

/**
 * The planner's feedback desk: open complaints oldest first (the one waiting longest is the one to
 * call), those closed lately with what was done, what customers wrote, and the period's figures
 * (CSAT, NPS, complaint resolution time) as the KPIs compute them. Null when the service keeps no
 * feedback.
 */
export async function loadFeedbackDesk(api: ApiClient, now = Date.now()) {
  const [open, closed, comments, kpis] = await Promise.all([
    api.getIfAvailable('/api/feedback', feedbackPage, {
      resolved: 'false',
      dir: 'asc',
      limit: openComplaintLimit,
    }),
    // Newest closed first, those of the resolution figure's period only.
    api.getIfAvailable('/api/feedback', feedbackPage, {
      resolved: 'true',
      resolvedFrom: now - resolutionDays * 86_400_000,
      limit: 500,
    }),
    api.getIfAvailable('/api/feedback', feedbackPage, { commented: 'true', limit: 15 }),
    loadKpis(api, { months: 3, model: '', region: '', partnerId: '' }, 'month'),
  ]);
  if (open === null || closed === null || comments === null) return null;
  const allClosed = closed.items.map(toDeskFeedback);
  return {
    open: open.items.map(toDeskFeedback),
    openTotal: open.total,
    closed: allClosed.slice(0, 10),
    resolution: resolutionFigure(allClosed, now),
    comments: comments.items.map(toDeskFeedback),
    figures: kpis
      ? {
          csat: kpis.overall.csatMean,
          nps: kpis.overall.npsScore,
          from: kpis.filter.from,
        }
      : null,
  };
}

/** POST /api/feedback/:id/resolution from the desk's form: the complaint closed with what was done. */
export async function resolveComplaint(api: ApiClient, data: FormData) {
  const id = String(data.get('id') ?? '');
  const form = parseForm(complaintResolutionForm, data);
  if (!form.ok) return fail(400, { form: 'resolve', ok: false, message: form.message, id });
  const outcome = await perform('resolve', async () => {
    await api.request(`/api/feedback/${encodeURIComponent(form.data.id)}/resolution`, feedbackSchema, {
      method: 'POST',
      body: { resolution: form.data.resolution },
    });
    return 'The complaint is closed, with what was done.';
  });
  if ('status' in outcome) {
    if (outcome.status === 404)
      return fail(404, { form: 'resolve', ok: false, message: 'This complaint is no longer there.', id });
    if (outcome.status === 409)
      return fail(409, {
        form: 'resolve',
        ok: false,
        message: 'Someone closed this complaint meanwhile; reload the page to read what was done.',
        id,
      });
    return fail(outcome.status, { ...outcome.data, id });
  }
  return { ...outcome, id };
}
