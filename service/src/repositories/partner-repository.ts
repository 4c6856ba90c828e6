import {
  ConflictError,
  type CreatePartnerBody,
  type CreateTechnicianBody,
  NotFoundError,
  type Page,
  type PartnerKind,
  type ServicePartner,
  type SetTechnicianSkillBody,
  type Skill,
  type Technician,
  type TechnicianStatus,
  type UpdateTechnicianBody,
} from '@aftercare/core';
import type { Selectable } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import { newId, toCount } from '../db/query-helpers.ts';
import type { ServicePartnersTable, TechnicianSkillsTable, TechniciansTable } from '../db/tables.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';

export interface TechnicianFilter {
  partnerId?: string | undefined;
  skill?: Skill | undefined;
  status?: TechnicianStatus | undefined;
}

function toPartner(row: Selectable<ServicePartnersTable>): ServicePartner {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    lat: row.lat,
    lon: row.lon,
    coverageRadiusKm: row.coverage_radius_km,
    createdAt: row.created_at,
  };
}

function toTechnician(
  row: Selectable<TechniciansTable>,
  skills: Selectable<TechnicianSkillsTable>[],
): Technician {
  return {
    id: row.id,
    partnerId: row.partner_id,
    name: row.name,
    home: { lat: row.home_lat, lon: row.home_lon },
    workingHours: {
      days: row.work_days.split(',').map(Number),
      start: row.work_start,
      end: row.work_end,
      timezone: row.timezone,
    },
    dailyCapacityMinutes: row.daily_capacity_minutes,
    status: row.status,
    unavailableUntil: row.unavailable_until,
    skills: skills
      .filter((s) => s.technician_id === row.id)
      .map((s) => ({
        skill: s.skill as Skill,
        certificateId: s.certificate_id,
        certifiedUntil: s.certified_until,
      })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Whether a technician holds a skill with a certification valid at `at` (what refrigerant work needs). */
export function isCertified(technician: Technician, skill: Skill, at: number): boolean {
  return technician.skills.some(
    (s) => s.skill === skill && s.certifiedUntil !== null && s.certifiedUntil >= at,
  );
}

/** Service partners (centres, franchises, vans) and their technicians with skills and certifications. */
export class PartnerRepository {
  constructor(
    private readonly db: ServiceDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  async createPartner(input: CreatePartnerBody): Promise<ServicePartner> {
    const row: Selectable<ServicePartnersTable> = {
      id: input.id ?? newId(),
      name: input.name,
      kind: input.kind,
      lat: input.lat,
      lon: input.lon,
      coverage_radius_km: input.coverageRadiusKm,
      created_at: this.clock(),
    };
    try {
      await this.db.insertInto('service_partners').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`partner ${row.id} already exists`);
      throw err;
    }
    return toPartner(row);
  }

  async getPartner(id: string): Promise<ServicePartner | null> {
    const row = await this.db
      .selectFrom('service_partners')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toPartner(row) : null;
  }

  async listPartners(filter: {
    kind?: PartnerKind | undefined;
    limit: number;
    offset: number;
  }): Promise<Page<ServicePartner>> {
    let query = this.db.selectFrom('service_partners');
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('name').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst(),
    ]);
    return { items: rows.map(toPartner), total: toCount(count), limit: filter.limit, offset: filter.offset };
  }

  async createTechnician(partnerId: string, input: CreateTechnicianBody): Promise<Technician> {
    if ((await this.getPartner(partnerId)) === null) throw new NotFoundError('partner', partnerId);
    const now = this.clock();
    const id = input.id ?? newId();
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('technicians')
          .values({
            id,
            partner_id: partnerId,
            name: input.name,
            home_lat: input.home.lat,
            home_lon: input.home.lon,
            work_days: [...new Set(input.workingHours.days)].sort().join(','),
            work_start: input.workingHours.start,
            work_end: input.workingHours.end,
            timezone: input.workingHours.timezone,
            daily_capacity_minutes: input.dailyCapacityMinutes,
            status: 'active',
            unavailable_until: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        for (const skill of input.skills) {
          await trx
            .insertInto('technician_skills')
            .values({
              technician_id: id,
              skill: skill.skill,
              certificate_id: skill.certificateId ?? null,
              certified_until: skill.certifiedUntil ?? null,
            })
            .execute();
        }
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new ConflictError(`technician ${id} already exists, or a skill is listed twice`);
      throw err;
    }
    return (await this.getTechnician(id))!;
  }

  async getTechnician(id: string): Promise<Technician | null> {
    const row = await this.db.selectFrom('technicians').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const skills = await this.db
      .selectFrom('technician_skills')
      .selectAll()
      .where('technician_id', '=', id)
      .execute();
    return toTechnician(row, skills);
  }

  /** Technicians with their skills, ordered by name; the filter's skill matches held skills. */
  async listTechnicians(
    filter: TechnicianFilter & { limit: number; offset: number },
  ): Promise<Page<Technician>> {
    const query = this.filteredTechnicians(filter);
    const [rows, count] = await Promise.all([
      query
        .selectAll('technicians')
        .orderBy('technicians.name')
        .orderBy('technicians.id')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst(),
    ]);
    const ids = rows.map((r) => r.id);
    const skills =
      ids.length === 0
        ? []
        : await this.db
            .selectFrom('technician_skills')
            .selectAll()
            .where('technician_id', 'in', ids)
            .execute();
    return {
      items: rows.map((row) => toTechnician(row, skills)),
      total: toCount(count),
      limit: filter.limit,
      offset: filter.offset,
    };
  }

  async updateTechnician(id: string, patch: UpdateTechnicianBody): Promise<Technician> {
    const current = await this.getTechnician(id);
    if (current === null) throw new NotFoundError('technician', id);
    const hours = patch.workingHours ?? current.workingHours;
    const status = patch.status ?? current.status;
    await this.db
      .updateTable('technicians')
      .set({
        name: patch.name ?? current.name,
        home_lat: (patch.home ?? current.home).lat,
        home_lon: (patch.home ?? current.home).lon,
        work_days: [...new Set(hours.days)].sort().join(','),
        work_start: hours.start,
        work_end: hours.end,
        timezone: hours.timezone,
        daily_capacity_minutes: patch.dailyCapacityMinutes ?? current.dailyCapacityMinutes,
        status,
        // Back to active clears the expected return.
        unavailable_until:
          status === 'active'
            ? null
            : patch.unavailableUntil !== undefined
              ? patch.unavailableUntil
              : current.unavailableUntil,
        updated_at: this.clock(),
      })
      .where('id', '=', id)
      .execute();
    return (await this.getTechnician(id))!;
  }

  /** Adds or replaces a skill, with its certification (or none). */
  async setSkill(technicianId: string, skill: Skill, body: SetTechnicianSkillBody): Promise<Technician> {
    if ((await this.getTechnician(technicianId)) === null)
      throw new NotFoundError('technician', technicianId);
    const values = {
      certificate_id: body.certificateId ?? null,
      certified_until: body.certifiedUntil ?? null,
    };
    await this.db
      .insertInto('technician_skills')
      .values({ technician_id: technicianId, skill, ...values })
      .onConflict((oc) => oc.columns(['technician_id', 'skill']).doUpdateSet(values))
      .execute();
    await this.db
      .updateTable('technicians')
      .set({ updated_at: this.clock() })
      .where('id', '=', technicianId)
      .execute();
    return (await this.getTechnician(technicianId))!;
  }

  async removeSkill(technicianId: string, skill: Skill): Promise<Technician> {
    const result = await this.db
      .deleteFrom('technician_skills')
      .where('technician_id', '=', technicianId)
      .where('skill', '=', skill)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) throw new NotFoundError(`skill ${skill} of technician`, technicianId);
    return (await this.getTechnician(technicianId))!;
  }

  private filteredTechnicians(filter: TechnicianFilter) {
    let query = this.db.selectFrom('technicians');
    if (filter.partnerId !== undefined) query = query.where('technicians.partner_id', '=', filter.partnerId);
    if (filter.status !== undefined) query = query.where('technicians.status', '=', filter.status);
    if (filter.skill !== undefined) {
      const skill = filter.skill;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('technician_skills')
            .select('technician_skills.skill')
            .whereRef('technician_skills.technician_id', '=', 'technicians.id')
            .where('technician_skills.skill', '=', skill),
        ),
      );
    }
    return query;
  }
}
