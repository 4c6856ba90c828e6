import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until `check` returns a value (not undefined/false) or the deadline passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    await sleep(50);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever shape the endpoint answers
type Json = any;

export class Api {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = this.token,
  ): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  async provision(
    id: string,
    model = 'split-ac',
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string; secret: string }> {
    const res = await this.request('POST', '/api/devices', { id, model, ...extra });
    if (res.status !== 201)
      throw new Error(`provision ${id} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}
