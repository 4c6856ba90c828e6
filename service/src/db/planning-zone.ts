import type { ServiceDatabase } from './database.ts';

/**
 * The zone the planners read clocks and months in: the one most technicians work in, as the dispatch
 * board's (planningZone, which picks from records already loaded); UTC while there are none.
 */
export async function planningZoneOf(db: ServiceDatabase): Promise<string> {
  const row = await db
    .selectFrom('technicians')
    .select((eb) => ['timezone', eb.fn.countAll<number>().as('technicians')])
    .groupBy('timezone')
    .orderBy('technicians', 'desc')
    .orderBy('timezone')
    .limit(1)
    .executeTakeFirst();
  return row?.timezone ?? 'UTC';
}
