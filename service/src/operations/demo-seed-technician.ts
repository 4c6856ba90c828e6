import type { Logger, Technician, Ticket } from '@aftercare/core';
import { amcBookFrom } from '../automation/amc-schedule.ts';
import { DAY_MS, localDayStart } from '../automation/work.ts';
import { systemActor } from '../principal.ts';
import { rankOfTicketPriority } from '../repositories/predictive-ticket-repository.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { demoAccounts } from './demo-seed.ts';
import { dispatchTicket } from './dispatch-ticket.ts';
import { utcOffsetMinutes } from './local-time.ts';
import { collectPages, PlanningData, page, planningZone } from './planning-data.ts';
import { type HeldWork, heldWork } from './route-fill-held-work.ts';
import { networkHours } from './route-fill-wait.ts';

/** Jobs a technician's phone lists as theirs to do. */
const activeJobStatuses = ['scheduled', 'dispatched', 'on_site'] as const;

/** The demo technician's phone shows the work of this many days from now: today's and the next days'. */
export const demoNearTermDays = 3;

/** Who books the waiting visits the demo technician takes, in the audit log. */
const demoWorkActor = systemActor('demo-technician');

export interface DemoTechnicianWork {
  /** The technician the demo technician account is linked to now; null without that account. */
  technicianId: string | null;
  /** Whether this call moved the account to another technician. */
  relinked: boolean;
  /** Their jobs still to do. */
  jobs: number;
  /** Of those, the jobs booked in the next `demoNearTermDays` days (or under way). */
  nearTerm: number;
  /** AMC visits waiting for a route that this call booked onto the demo technician's days. */
  booked: number;
}

/**
 * Makes the demo technician account show a working technician's next days: the account is linked to
 * the technician with the most work in the next `demoNearTermDays` days, counting the jobs booked for
 * them and the AMC visits of their partner still waiting for a route (a technician in the middle of a
 * job keeps the account), and those waiting visits are then booked onto their days through the
 * dispatch, as any visit: in their working hours, after the customer's notice, inside the visit's
 * window, with the skill it needs. Run after the AMC scheduler and route fill on every demo start; a
 * second run finds the account's technician the busiest already and leaves the link as it is.
 */
export async function ensureDemoTechnicianWork(options: {
  repositories: ServiceRepositories;
  now: number;
  logger: Logger;
}): Promise<DemoTechnicianWork> {
  const { repositories: repos, now } = options;
  const log = options.logger.child({ component: 'demo-seed' });
  const account = await repos.users.findByEmail(demoAccounts.technician);
  if (account?.role !== 'technician')
    return { technicianId: null, relinked: false, jobs: 0, nearTerm: 0, booked: 0 };
  const data = new PlanningData(repos);
  const horizon = now + demoNearTermDays * DAY_MS;
  const active = await activeJobs(repos);
  const team = (await data.technicians()).filter((t) => t.status === 'active');
  // From the customer's notice on, as the route fill books visits.
  const zone = planningZone(team);
  const offset = utcOffsetMinutes(zone, now);
  const dayEnds = networkHours(team, zone)(localDayStart(now, offset))?.endMinute ?? 0;
  const earliest = amcBookFrom(now, offset, dayEnds);
  const waiting = (await heldWork(data, false)).filter(
    (w) => w.window.start < horizon && w.window.end > earliest,
  );

  const jobsOf = (id: string) => active.filter((t) => t.technicianId === id);
  const nearTermOf = (id: string) => jobsOf(id).filter((t) => isNearTerm(t, horizon)).length;
  const takes = (t: Technician) => (w: HeldWork) =>
    w.partnerId === t.partnerId && t.skills.some((s) => s.skill === w.skill);
  const load = (t: Technician) => nearTermOf(t.id) + waiting.filter(takes(t)).length;
  // Appointments already past count after every one still to come.
  const next = (id: string) =>
    Math.min(
      Number.MAX_VALUE,
      ...jobsOf(id).flatMap((t) =>
        t.appointment && t.appointment.start >= now ? [t.appointment.start] : [],
      ),
    );

  const current = team.find((t) => t.id === account.technicianId) ?? null;
  const underWay = current !== null && jobsOf(current.id).some((t) => t.status !== 'scheduled');
  const busiest = [...team].sort(
    (a, b) =>
      load(b) - load(a) ||
      Number(jobsOf(b.id).length > 0) - Number(jobsOf(a.id).length > 0) ||
      Number(b.id === current?.id) - Number(a.id === current?.id) ||
      next(a.id) - next(b.id) ||
      a.id.localeCompare(b.id),
  )[0];
  // Moved only for more work in the next days, or for some work at all when theirs has none.
  const better = (t: Technician) =>
    current === null ||
    load(t) > load(current) ||
    (jobsOf(current.id).length === 0 && jobsOf(t.id).length > 0);
  let linked = current;
  if (!underWay && busiest && busiest.id !== current?.id && better(busiest)) {
    // The account goes by the person's name, so a user signed in as them sees who they are.
    await repos.users.linkTechnician(account.id, busiest.id, busiest.name);
    log.info(
      { from: account.technicianId, to: busiest.id, work: load(busiest) },
      'demo technician account linked to the technician with the most work in the next days',
    );
    linked = busiest;
  }
  if (linked === null)
    return { technicianId: account.technicianId, relinked: false, jobs: 0, nearTerm: 0, booked: 0 };

  const booked = await bookWaitingVisits(data, linked, waiting.filter(takes(linked)), { earliest, horizon });
  if (booked > 0)
    log.info({ technicianId: linked.id, booked }, 'waiting AMC visits booked for the demo technician');
  const jobs =
    booked > 0 ? (await activeJobs(repos)).filter((t) => t.technicianId === linked.id) : jobsOf(linked.id);
  return {
    technicianId: linked.id,
    relinked: linked.id !== account.technicianId,
    jobs: jobs.length,
    nearTerm: jobs.filter((t) => isNearTerm(t, horizon)).length,
    booked,
  };
}

function activeJobs(repos: ServiceRepositories): Promise<Ticket[]> {
  return collectPages((offset) =>
    repos.tickets.list({
      status: [...activeJobStatuses],
      limit: page,
      offset,
      order: { by: 'appointment', dir: 'asc' },
    }),
  );
}

/** Under way, or booked to start before `horizon` (a start already past counts: it is still to do). */
function isNearTerm(t: Ticket, horizon: number): boolean {
  return t.status !== 'scheduled' || (t.appointment !== null && t.appointment.start < horizon);
}

/**
 * Books the AMC visits waiting for a route onto the technician's days through the dispatch, the visit
 * whose window closes first first: from `earliest` (the customer's notice) to `horizon`, inside the
 * visit's window. A visit the technician cannot take by then stays for the route fill.
 */
async function bookWaitingVisits(
  data: PlanningData,
  technician: Technician,
  visits: readonly HeldWork[],
  { earliest, horizon }: { earliest: number; horizon: number },
): Promise<number> {
  let booked = 0;
  for (const visit of [...visits].sort((a, b) => a.window.end - b.window.end)) {
    const window = {
      start: Math.max(visit.window.start, earliest),
      end: Math.min(visit.window.end, horizon),
    };
    if (window.end <= window.start) continue;
    const outcome = await dispatchTicket(
      data,
      {
        ticket: visit.ticket,
        position: visit.position,
        skill: visit.skill,
        certificationRequired: visit.certificationRequired,
        durationMinutes: visit.durationMinutes,
        priority: rankOfTicketPriority[visit.ticket.priority],
        window,
        slaDueAt: visit.ticket.slaDueAt,
        ...(visit.partnerId === null ? {} : { partnerId: visit.partnerId }),
        technicianIds: [technician.id],
      },
      demoWorkActor,
    );
    if (outcome.kind === 'assigned') booked++;
  }
  return booked;
}
