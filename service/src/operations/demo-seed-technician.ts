import type { Logger, Ticket } from '@aftercare/core';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { demoAccounts } from './demo-seed.ts';
import { collectPages, page } from './planning-data.ts';

/** Jobs a technician's phone lists as theirs to do. */
const activeJobStatuses = ['scheduled', 'dispatched', 'on_site'] as const;

export interface DemoTechnicianWork {
  /** The technician the demo technician account is linked to now; null without that account. */
  technicianId: string | null;
  /** Whether this call moved the account to another technician. */
  relinked: boolean;
  /** Their jobs still to do. */
  jobs: number;
}

/**
 * Makes the demo technician account show real work: when the technician it is linked to has no job
 * to do (no ticket scheduled, dispatched or on site), the account is linked to the technician the
 * automation gave work to, the one whose next appointment comes first (today's before later ones),
 * so the jobs are within their skills and certifications by construction. Run after the AMC
 * scheduler and the dispatch on every demo start; an account with work is left as it is.
 */
export async function ensureDemoTechnicianWork(options: {
  repositories: ServiceRepositories;
  now: number;
  logger: Logger;
}): Promise<DemoTechnicianWork> {
  const repos = options.repositories;
  const account = await repos.users.findByEmail(demoAccounts.technician);
  if (account?.role !== 'technician') return { technicianId: null, relinked: false, jobs: 0 };
  const active = await collectPages((offset) =>
    repos.tickets.list({
      status: [...activeJobStatuses],
      limit: page,
      offset,
      order: { by: 'appointment', dir: 'asc' },
    }),
  );
  const byTechnician = new Map<string, Ticket[]>();
  for (const t of active) {
    if (t.technicianId === null) continue;
    byTechnician.set(t.technicianId, [...(byTechnician.get(t.technicianId) ?? []), t]);
  }
  const current = account.technicianId;
  const own = current === null ? 0 : (byTechnician.get(current)?.length ?? 0);
  if (own > 0 || byTechnician.size === 0) return { technicianId: current, relinked: false, jobs: own };

  // The next appointment still to come decides; appointments already past count after every future one.
  const next = (jobs: Ticket[]) => {
    const starts = jobs.map((t) => t.appointment?.start ?? Number.POSITIVE_INFINITY);
    const upcoming = starts.filter((s) => s >= options.now);
    return upcoming.length > 0 ? Math.min(...upcoming) : Number.MAX_VALUE;
  };
  const [technicianId, jobs] = [...byTechnician].sort(
    (a, b) => next(a[1]) - next(b[1]) || b[1].length - a[1].length || a[0].localeCompare(b[0]),
  )[0]!;
  await repos.users.linkTechnician(account.id, technicianId);
  options.logger
    .child({ component: 'demo-seed' })
    .info(
      { from: current, to: technicianId, jobs: jobs.length },
      'demo technician account linked to a technician with work',
    );
  return { technicianId, relinked: true, jobs: jobs.length };
}
