import type { Db } from './ticket-writes.ts';

/**
 * The names behind the actors of a ticket's audit log and notes (`user:<id>`, `token:<id>`), in two
 * reads however long the history: "who made each transition and why" is only transparency when it
 * names the person. A user without a name of their own goes by their technician's name, then their
 * email; a token by the name it was issued under. Other actors (`admin`, `system:<part>`) are not
 * people with names here and stay unnamed.
 */
export async function actorNames(db: Db, actors: readonly string[]): Promise<Map<string, string>> {
  const ids = (prefix: string) => [
    ...new Set(actors.filter((a) => a.startsWith(prefix)).map((a) => a.slice(prefix.length))),
  ];
  const userIds = ids('user:');
  const tokenIds = ids('token:');
  const [users, tokens] = await Promise.all([
    userIds.length === 0
      ? []
      : db
          .selectFrom('users')
          .leftJoin('technicians', 'technicians.id', 'users.technician_id')
          .select(['users.id', 'users.name', 'users.email', 'technicians.name as technician_name'])
          .where('users.id', 'in', userIds)
          .execute(),
    tokenIds.length === 0
      ? []
      : db.selectFrom('api_tokens').select(['id', 'name']).where('id', 'in', tokenIds).execute(),
  ]);
  const names = new Map<string, string>();
  for (const u of users) names.set(`user:${u.id}`, u.name ?? u.technician_name ?? u.email);
  for (const t of tokens) names.set(`token:${t.id}`, t.name);
  return names;
}
