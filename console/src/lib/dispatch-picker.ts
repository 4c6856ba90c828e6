import { words } from './format.ts';

/**
 * Who the move panel offers a job to. The service refuses a technician without the job's skill (or a
 * certification valid on the day), so the picker lists the qualified first and shows the rest
 * disabled with the reason, rather than letting a planner find out from a refused preview.
 */

export interface PickerJob {
  /** The catalogue skill; null when any technician's own skill will do. */
  skillId: string | null;
  certificationRequired: boolean;
}

export interface PickerTechnician {
  id: string;
  name: string;
  available: boolean;
  /** Partner and load when working, else why not. */
  note: string;
  skillIds: readonly string[];
  certifiedSkillIds: readonly string[];
}

export interface TechnicianChoice {
  id: string;
  label: string;
  disabled: boolean;
}

export interface TechnicianGroup {
  label: string;
  choices: TechnicianChoice[];
}

/** Why `technician` may not do `job`, in words; null when they may. */
export function unqualifiedReason(job: PickerJob, technician: PickerTechnician): string | null {
  if (job.skillId === null) return null;
  const skill = words(job.skillId);
  if (!technician.skillIds.includes(job.skillId)) return `no ${skill} skill`;
  if (job.certificationRequired && !technician.certifiedSkillIds.includes(job.skillId))
    return `no ${skill} certification valid on the day`;
  return null;
}

/**
 * The picker's groups: the qualified (those working first, in the board's order), then the others,
 * disabled. One group when every technician qualifies.
 */
export function technicianGroups(
  job: PickerJob,
  technicians: readonly PickerTechnician[],
): TechnicianGroup[] {
  const qualified: TechnicianChoice[] = [];
  const unqualified: TechnicianChoice[] = [];
  for (const t of technicians) {
    const reason = unqualifiedReason(job, t);
    if (reason === null) qualified.push({ id: t.id, label: `${t.name} — ${t.note}`, disabled: !t.available });
    else unqualified.push({ id: t.id, label: `${t.name} — ${reason}`, disabled: true });
  }
  qualified.sort((a, b) => Number(a.disabled) - Number(b.disabled));
  if (job.skillId === null) return [{ label: 'Any technician can do it', choices: qualified }];
  const skill = words(job.skillId);
  return [
    { label: `Qualified for ${skill}`, choices: qualified },
    { label: `Not qualified for ${skill}`, choices: unqualified },
  ].filter((g) => g.choices.length > 0);
}
