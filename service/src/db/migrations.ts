import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { devicesAndApiTokens } from './migrations/0001-devices-and-api-tokens.ts';
import { customersPartnersTechnicians } from './migrations/0002-customers-partners-technicians.ts';
import { contractsAndTickets } from './migrations/0003-contracts-and-tickets.ts';
import { partsAndStock } from './migrations/0004-parts-and-stock.ts';
import { feedbackKnowledgeUsers } from './migrations/0005-feedback-knowledge-users.ts';
import { ticketCommands } from './migrations/0006-ticket-commands.ts';
import { amcVisitChecklists } from './migrations/0007-amc-visit-checklists.ts';
import { complaintResolutions } from './migrations/0008-complaint-resolutions.ts';
import { ticketAppointmentIndex } from './migrations/0009-ticket-appointment-index.ts';

/**
 * Every migration, in the order they apply. Names only ever get appended: the Migrator records them
 * in `kysely_migration` and refuses to run when an applied one is missing.
 */
const migrations: Record<string, Migration> = {
  '0001-devices-and-api-tokens': devicesAndApiTokens,
  '0002-customers-partners-technicians': customersPartnersTechnicians,
  '0003-contracts-and-tickets': contractsAndTickets,
  '0004-parts-and-stock': partsAndStock,
  '0005-feedback-knowledge-users': feedbackKnowledgeUsers,
  '0006-ticket-commands': ticketCommands,
  '0007-amc-visit-checklists': amcVisitChecklists,
  '0008-complaint-resolutions': complaintResolutions,
  '0009-ticket-appointment-index': ticketAppointmentIndex,
};

/** Migrations live in code rather than a folder scan, so they ship inside any bundle and need no fs access. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/** Brings the schema up to date; throws with the failing migration's name and cause. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((r) => r.status === 'Error');
  if (error) {
    const which = failed ? ` ${failed.migrationName}` : '';
    throw new Error(`service database migration${which} failed`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
