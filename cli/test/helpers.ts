import { setTimeout as sleep } from 'node:timers/promises';
import { type WorkingHours, withinWorkingHours } from '@aftercare/core';
import type { Page } from 'playwright-core';

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

const quarterHour = 15 * 60_000;

/** Whether a visit lies inside a technician's working hours, on their own clock (core's check, as the service and console ask it). */
export function inWorkingHours(hours: WorkingHours): (start: number, end: number) => boolean {
  return (start, end) => withinWorkingHours(hours, { start, end });
}

/**
 * The first start on a quarter hour at or after `earliest` of a visit of `minutes` that comes no nearer
 * than `marginMinutes` (room for any drive in the metro) to the technician's booked visits (as
 * GET /api/technicians/:id/visits lists them) and, when given,
 * passes `allowed` (their working hours, say): what a planner books when the tests give a busy
 * technician one more job, since the service refuses a visit that overlaps one at another site.
 */
export async function freeStart(
  api: Api,
  technicianId: string,
  earliest: number,
  minutes: number,
  allowed: (start: number, end: number) => boolean = () => true,
  marginMinutes = 90,
): Promise<number> {
  const from = Math.ceil(earliest / quarterHour) * quarterHour;
  const to = from + 14 * 86_400_000;
  const res = await api.get(`/api/technicians/${technicianId}/visits?from=${from}&to=${to}`);
  if (res.status !== 200)
    throw new Error(`${technicianId}'s visits: ${res.status} ${JSON.stringify(res.body)}`);
  const booked = res.body.items as { start: number; end: number }[];
  // The service also wants the drive between visits at different places: keep well clear of them.
  const margin = marginMinutes * 60_000;
  for (let start = from; start < to; start += quarterHour) {
    const end = start + minutes * 60_000;
    if (allowed(start, end) && !booked.some((b) => b.start < end + margin && start < b.end + margin))
      return start;
  }
  throw new Error(
    `${technicianId} has no free ${minutes} minutes in the two weeks from ${new Date(from).toISOString()}`,
  );
}

/**
 * The devices a customer's "My devices" list links to, by id: the list names them by serial, as the
 * customer reads them off the plate, so the ids come from the links.
 */
export async function listedDeviceIds(page: Page): Promise<string[]> {
  const hrefs = (await page
    .locator('.devices a')
    .evaluateAll((as) =>
      as.map((a) => (a as unknown as { getAttribute(name: string): string | null }).getAttribute('href')),
    )) as (string | null)[];
  return hrefs.map((href) => decodeURIComponent((href ?? '').replace('/my/devices/', '')));
}
