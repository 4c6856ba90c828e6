import { randomUUID } from 'node:crypto';

/** A new record id. */
export function newId(): string {
  return randomUUID();
}

/** count(*) as a number: PostgreSQL returns it as a bigint string. */
export function toCount(row: { total: number | string | bigint } | undefined): number {
  return Number(row?.total ?? 0);
}

/** 0/1 integer flags, stored alike in SQLite and PostgreSQL. */
export const flag = (value: boolean): number => (value ? 1 : 0);
export const isSet = (value: number | boolean): boolean => value === true || value === 1;

/** Case-insensitive "contains" pattern for LIKE, with the wildcards in the needle escaped. */
export function containsPattern(needle: string): string {
  return `%${needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Ids per `in (…)` list: well under SQLite's and PostgreSQL's bound parameter limits. */
export const ID_CHUNK = 500;

/** `items` in runs of at most `size`, in order. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
