import {
  catalog,
  type DeviceModel,
  type Page,
  type Part,
  type TroubleshootingGuide,
  type UpsertPartBody,
  ValidationError,
} from '@aftercare/core';
import type { Selectable } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import { flag, isSet, toCount } from '../db/query-helpers.ts';
import type { PartFixesTable, PartsTable, TroubleshootingGuidesTable } from '../db/tables.ts';

function toPart(row: Selectable<PartsTable>, fixes: Selectable<PartFixesTable>[]): Part {
  const own = fixes.filter((f) => f.sku === row.sku);
  return {
    sku: row.sku,
    model: row.model,
    name: row.name,
    failureModes: [...new Set(own.map((f) => f.failure_mode))].sort(),
    components: [...new Set(own.map((f) => f.component))].sort(),
    priceCents: row.price_cents,
    returnRequired: isSet(row.return_required),
    consumable: isSet(row.consumable),
  };
}

function toGuide(row: Selectable<TroubleshootingGuidesTable>): TroubleshootingGuide {
  return {
    model: row.model,
    failureMode: row.failure_mode,
    title: row.title,
    skill: row.skill as TroubleshootingGuide['skill'],
    steps: JSON.parse(row.steps) as string[],
    remoteFix: row.remote_fix,
    repairMinutes: row.repair_minutes,
  };
}

/** The parts catalogue and the knowledge base of troubleshooting guides. */
export class CatalogueRepository {
  constructor(
    private readonly db: ServiceDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  async getPart(sku: string): Promise<Part | null> {
    const row = await this.db.selectFrom('parts').selectAll().where('sku', '=', sku).executeTakeFirst();
    if (!row) return null;
    const fixes = await this.db.selectFrom('part_fixes').selectAll().where('sku', '=', sku).execute();
    return toPart(row, fixes);
  }

  async listParts(filter: {
    model?: DeviceModel | undefined;
    failureMode?: string | undefined;
    limit: number;
    offset: number;
  }): Promise<Page<Part>> {
    let query = this.db.selectFrom('parts');
    if (filter.model !== undefined) query = query.where('model', '=', filter.model);
    if (filter.failureMode !== undefined) {
      const mode = filter.failureMode;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('part_fixes')
            .select('part_fixes.sku')
            .whereRef('part_fixes.sku', '=', 'parts.sku')
            .where('part_fixes.failure_mode', '=', mode),
        ),
      );
    }
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('sku').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst(),
    ]);
    const skus = rows.map((r) => r.sku);
    const fixes =
      skus.length === 0
        ? []
        : await this.db.selectFrom('part_fixes').selectAll().where('sku', 'in', skus).execute();
    return {
      items: rows.map((r) => toPart(r, fixes)),
      total: toCount(count),
      limit: filter.limit,
      offset: filter.offset,
    };
  }

  /** The parts that fix a failure mode of a model (what the parts planner reserves). */
  async partsFor(model: DeviceModel, failureMode: string): Promise<Part[]> {
    return (await this.listParts({ model, failureMode, limit: 100, offset: 0 })).items;
  }

  /**
   * Creates or replaces a catalogue part. What it fixes must be the model's catalogue failure modes,
   * each with the component the catalogue names for it.
   */
  async upsertPart(sku: string, input: UpsertPartBody): Promise<Part> {
    const modes = catalog[input.model].failureModes;
    const fixes: { failure_mode: string; component: string }[] = [];
    for (const id of input.failureModes) {
      const mode = modes.find((f) => f.id === id);
      if (!mode)
        throw new ValidationError(
          `failureModes: ${id} is not a failure mode of ${input.model} (one of ${modes.map((f) => f.id).join(', ')})`,
        );
      fixes.push({ failure_mode: id, component: mode.component });
    }
    for (const component of input.components) {
      if (!modes.some((f) => f.component === component))
        throw new ValidationError(`components: ${component} is not a component of ${input.model}`);
      if (!fixes.some((f) => f.component === component))
        throw new ValidationError(`components: ${component} is not the component of any listed failure mode`);
    }
    const values = {
      model: input.model,
      name: input.name,
      price_cents: input.priceCents,
      return_required: flag(input.returnRequired),
      consumable: flag(input.consumable),
      updated_at: this.clock(),
    };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('parts')
        .values({ sku, ...values })
        .onConflict((oc) => oc.column('sku').doUpdateSet(values))
        .execute();
      await trx.deleteFrom('part_fixes').where('sku', '=', sku).execute();
      if (fixes.length > 0)
        await trx
          .insertInto('part_fixes')
          .values(fixes.map((f) => ({ sku, ...f })))
          .execute();
    });
    return (await this.getPart(sku))!;
  }

  async guide(model: DeviceModel, failureMode: string): Promise<TroubleshootingGuide | null> {
    const row = await this.db
      .selectFrom('troubleshooting_guides')
      .selectAll()
      .where('model', '=', model)
      .where('failure_mode', '=', failureMode)
      .executeTakeFirst();
    return row ? toGuide(row) : null;
  }

  async guides(model?: DeviceModel): Promise<TroubleshootingGuide[]> {
    let query = this.db.selectFrom('troubleshooting_guides').selectAll();
    if (model !== undefined) query = query.where('model', '=', model);
    return (await query.orderBy('model').orderBy('failure_mode').execute()).map(toGuide);
  }
}
