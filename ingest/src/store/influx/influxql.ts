/** Quoting for InfluxQL (not line protocol, which the client's Point escapes). */

export function identifier(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A string literal; InfluxQL's scanner refuses a raw newline inside one, so it is escaped too. */
export function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** InfluxDB keeps time as int64 nanoseconds: nothing before 1970 here, nothing after 2262. */
const maxMs = 9_223_372_036_854;
const clamp = (ms: number) => Math.min(Math.max(Math.ceil(ms), 0), maxMs);

/** `from` inclusive, `to` exclusive, like the port (ceil keeps both exact for integer timestamps). */
export function timeRange(from: number, to: number): string {
  return `time >= ${clamp(from)}ms AND time < ${clamp(to)}ms`;
}

/** `("tag" = 'a' OR "tag" = 'b')`. */
export function anyOf(tag: string, values: readonly string[]): string {
  return `(${values.map((v) => `${identifier(tag)} = ${literal(v)}`).join(' OR ')})`;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
