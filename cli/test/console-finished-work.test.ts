import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkingHours } from '@aftercare/core';
import { chennaiMetro, createLogger, type DeviceModel, deviceModels, offsetPosition } from '@aftercare/core';
import { requireBinary } from '@aftercare/ingest/testing';
import { demoAccounts, seedDemoWorld } from '@aftercare/service';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, signIn, watchErrors } from '../src/console/chromium.ts';
import type { RunningPlatform } from '../src/platform.ts';
import { type ConsolePlatform, startConsolePlatform } from './console-session.ts';
import { type Api, freeStart, inWorkingHours } from './helpers.ts';

/*
 * Work that is over, as every role's pages show it, in Chromium against the real platform with the
 * demo world: a repair booked for tomorrow but done and closed early, a visit cancelled, an AMC visit
 * done. A finished ticket reads as done (or cancelled) with when, never as its old booking, which
 * looked like a visit still to come ("Booked Tue 14:00").
 */

const hasChromium = requireBinary('/usr/bin/chromium', 'chromium');
vi.stubEnv('AFTERCARE_LOG_LEVEL', 'warn');
// The demo's region: the pages' times and the ones the test formats are in one zone.
vi.stubEnv('AFTERCARE_TIMEZONE', 'Asia/Kolkata');
const screenshots = fileURLToPath(new URL('../../console/screenshots/', import.meta.url));
const adminToken = 'console-finished-admin-token-0123';
const password = 'finished work demo password';
const day = 86_400_000;
const hour = 3_600_000;

/** As the console writes dates and times (en-GB in the display zone): "26 Nov 2026", "26 Nov 2026, 14:30". */
const inIndia = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'Asia/Kolkata' });
const date = (ts: number) => inIndia({ day: '2-digit', month: 'short', year: 'numeric' }).format(ts);
const dateTime = (ts: number) =>
  inIndia({
    day: '2-digit',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ts);

interface TechnicianRecord {
  id: string;
  name: string;
  partnerId: string;
  workingHours: WorkingHours;
}

/** An hour from the start of the technician's next working day after today, in India: a booking still to come. */
function nextWorkingHour(technician: TechnicianRecord, hoursIn: number): number {
  for (let ahead = 1; ahead <= 8; ahead++) {
    const day0 = new Date(Date.now() + ahead * day + 330 * 60_000);
    const weekday = day0.getUTCDay() || 7;
    if (!technician.workingHours.days.includes(weekday)) continue;
    const start = Date.parse(`${day0.toISOString().slice(0, 10)}T${technician.workingHours.start}:00+05:30`);
    return start + hoursIn * hour;
  }
  throw new Error(`${technician.id} works no day of the coming week`);
}

describe.skipIf(!hasChromium)('finished work on the console’s pages, in Chromium', () => {
  let dataDir: string;
  let platform: RunningPlatform;
  let api: Api;
  let base: string;
  let at: ConsolePlatform['at'];
  let browser: Browser;
  let customerId: string;
  let technician: TechnicianRecord;
  /** Closed after its visit, which had been booked for tomorrow; cancelled; an AMC visit done. */
  const done = { id: '', appointment: 0, resolvedAt: 0 };
  const cancelled = { id: '', appointment: 0, closedAt: 0 };
  const amc = { visitId: '', ticketId: '', appointment: 0, resolvedAt: 0, technicianName: '' };

  const step = async (id: string, body: Record<string, unknown>) => {
    const res = await api.request('POST', `/api/tickets/${id}/transitions`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { resolvedAt: number | null; closedAt: number | null };
  };
  const book = async (id: string, technicianId: string, start: number) => {
    const res = await api.request('PUT', `/api/tickets/${id}/assignment`, {
      technicianId,
      appointment: { start, end: start + hour },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const report = async (deviceId: string, description: string) => {
    const res = await api.request('POST', '/api/tickets', { kind: 'corrective', deviceId, description });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };

  async function open(email: string, path: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, { email, password, redirectTo: path });
    await page.waitForLoadState('networkidle');
    return { page, errors };
  }

  beforeAll(async () => {
    ({ dataDir, platform, base, api, at } = await startConsolePlatform({
      dataDirPrefix: 'aftercare-finished-',
      adminToken,
      screenshots,
    }));
    const now = Date.now();
    const fleet = Array.from({ length: 30 }, (_, i) => {
      const model: DeviceModel = deviceModels[i % deviceModels.length]!;
      return {
        id: `sim-${model.slice(0, 2)}-${String(i + 1).padStart(5, '0')}`,
        model,
        position: offsetPosition(
          chennaiMetro.center,
          1 + (Math.floor(i / 2) * 17) / 30 + (i % 2) * 0.3,
          i * 2.4,
        ),
        installedAt: now - (60 + ((i * 37) % 700)) * day,
      };
    });
    for (const d of fleet)
      await platform.repositories.devices.provision({
        id: d.id,
        model: d.model,
        location: d.position,
        installedAt: new Date(d.installedAt).toISOString(),
      });
    const demo = await seedDemoWorld({
      repositories: platform.repositories,
      devices: fleet,
      seed: 7,
      now,
      demoPassword: password,
      logger: createLogger({ level: 'silent' }),
    });
    customerId = demo.customerId!;
    technician = (await api.get(`/api/technicians/${demo.technicianId}`)).body;
    await platform.amc?.runOnce();

    // The demo technician's repair at the demo customer's: booked for their next working day, then
    // done early and closed by the office; a second one booked, then cancelled.
    const own = (await api.get(`/api/devices?customerId=${customerId}&limit=100`)).body.items as {
      id: string;
    }[];
    expect(own.length).toBeGreaterThan(0);
    done.id = await report(own[0]!.id, 'Not cooling since this morning');
    // The demo technician is the busiest of all: each booking takes the first hour they have free.
    const inHours = inWorkingHours(technician.workingHours);
    done.appointment = await freeStart(api, technician.id, nextWorkingHour(technician, 1), 60, inHours);
    await book(done.id, technician.id, done.appointment);
    await step(done.id, { to: 'dispatched' });
    // Done on the day it was booked for, sooner than booked, by the service's clock.
    await at(done.appointment - 2 * 60 * 60_000, () => step(done.id, { to: 'on_site' }));
    done.resolvedAt = (
      await at(done.appointment - 60 * 60_000, () =>
        step(done.id, { to: 'resolved', reason: 'Cleaned the coil; cooling again' }),
      )
    ).resolvedAt!;
    await step(done.id, { to: 'closed' });
    cancelled.id = await report(own.at(-1)!.id, 'Water leaking under the unit');
    cancelled.appointment = await freeStart(api, technician.id, nextWorkingHour(technician, 3), 60, inHours);
    await book(cancelled.id, technician.id, cancelled.appointment);
    cancelled.closedAt = (await step(cancelled.id, { to: 'cancelled', reason: 'The customer fixed it' }))
      .closedAt!;

    // An AMC visit of the months the AMC page shows, done by a technician of its partner.
    const calendar = (await api.get('/api/contract-visits/calendar?months=3')).body;
    const visit = calendar.visits.find(
      (v: { ticketStatus: string | null; partnerId: string | null }) =>
        v.ticketStatus === 'open' && v.partnerId !== null,
    );
    expect(visit).toBeDefined();
    const team = (await api.get('/api/technicians?status=active&limit=500')).body.items as TechnicianRecord[];
    const visitor = team.find((t) => t.partnerId === visit.partnerId)!;
    amc.visitId = visit.id;
    amc.ticketId = visit.ticketId;
    amc.technicianName = visitor.name;
    amc.appointment = await freeStart(
      api,
      visitor.id,
      nextWorkingHour(visitor, 2),
      60,
      inWorkingHours(visitor.workingHours),
    );
    await book(amc.ticketId, visitor.id, amc.appointment);
    await step(amc.ticketId, { to: 'dispatched' });
    amc.resolvedAt =
      // Done a day late (work starts on its day at the earliest), so the page's done date is not the booked one.
      (
        await at(amc.appointment + 24 * 60 * 60_000, async () => {
          await step(amc.ticketId, { to: 'on_site' });
          return step(amc.ticketId, { to: 'resolved', reason: 'Serviced and checked' });
        })
      ).resolvedAt!;
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists a finished ticket as done or cancelled, and when, on the tickets list and board', async () => {
    const { page, errors } = await open(demoAccounts.planner, '/tickets?status=closed');
    const visit = (id: string) => page.locator(`tr[data-ticket="${id}"] td[data-label="Visit"]`);
    await expect(visit(done.id).textContent()).resolves.toContain(`Done ${dateTime(done.resolvedAt)}`);
    await expect(visit(done.id).textContent()).resolves.not.toContain(dateTime(done.appointment));
    await page.goto(`${base}/tickets?status=cancelled`, { waitUntil: 'networkidle' });
    await expect(visit(cancelled.id).textContent()).resolves.toContain(
      `Cancelled ${dateTime(cancelled.closedAt)}`,
    );
    await expect(visit(cancelled.id).textContent()).resolves.not.toContain(dateTime(cancelled.appointment));

    await page.goto(`${base}/tickets?view=board`, { waitUntil: 'networkidle' });
    const card = page.locator(`li[data-ticket="${done.id}"]`);
    await expect(card.textContent()).resolves.toContain(`Done ${dateTime(done.resolvedAt)}`);
    await expect(card.textContent()).resolves.not.toContain(dateTime(done.appointment));
    expect(errors).toEqual([]);
  });

  it("keeps a visit done on its day's dispatch board, with its driving, and does not offer to move it", async () => {
    const dayOf = new Date(done.appointment + 330 * 60_000).toISOString().slice(0, 10);
    const { page, errors } = await open(demoAccounts.planner, `/dispatch?date=${dayOf}`, 1440);
    const box = page.locator(`button[data-ticket="${done.id}"]`);
    await expect(box.textContent()).resolves.toContain('Done · ');
    await box.click();
    const panel = page.locator('section.move');
    // Drawn and named when it was made, two hours before the hour booked with the customer.
    const clock = (ts: number) =>
      inIndia({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ts);
    const made = `${clock(done.appointment - 2 * hour)}–${clock(done.appointment - hour)}`;
    const booked = `${clock(done.appointment)}–${clock(done.appointment + hour)}`;
    await expect(box.textContent()).resolves.toContain(made);
    await expect(panel.locator('[data-settled]').textContent()).resolves.toMatch(
      new RegExp(
        `^\\s*Done: .+ has made this visit, ${made} \\(booked ${booked}\\), so it can no longer be moved\\.`,
      ),
    );
    await expect(panel.locator('.facts').textContent()).resolves.toContain(`Made by: `);
    await expect(panel.getByRole('button', { name: 'Preview the effect' }).count()).resolves.toBe(0);
    await page.screenshot({ path: `${screenshots}dispatch-done-job.png`, fullPage: true });
    // The ticket's timeline says the work began two hours before the slot, and took an hour on site.
    await panel.getByRole('link', { name: 'Open the ticket' }).click();
    const timeline = page.locator('section[aria-labelledby="timeline"]');
    await timeline.getByText(/^2 h before the booked /).waitFor();
    await expect(timeline.textContent()).resolves.toContain('after 1 h on site');
    await timeline.screenshot({ path: `${screenshots}ticket-timeline-early-start.png` });
    expect(errors).toEqual([]);
  });

  it('shows an AMC visit done as done, and when, not as booked', async () => {
    const { page, errors } = await open(demoAccounts.planner, '/amc');
    const row = page
      .locator('section[aria-labelledby="visits-title"] tbody tr')
      .filter({ hasText: amc.technicianName });
    const when = row.locator('td[data-label="Visit"]').filter({ hasText: 'Done' });
    await expect(when.first().textContent()).resolves.toBe(
      `Done ${date(amc.resolvedAt)} · ${amc.technicianName}`,
    );
    await expect(when.first().textContent()).resolves.not.toContain(date(amc.appointment));
    expect(errors).toEqual([]);
  });

  it('shows the technician a job done with when it was done, and one cancelled as cancelled', async () => {
    const { page, errors } = await open(demoAccounts.technician, '/tech', 390);
    // The list holds the work still to do only: neither job is there.
    await expect(page.locator(`li.job[data-ticket="${done.id}"]`).count()).resolves.toBe(0);
    await expect(page.locator(`li.job[data-ticket="${cancelled.id}"]`).count()).resolves.toBe(0);

    await page.goto(`${base}/tech/${done.id}`, { waitUntil: 'networkidle' });
    const facts = page.locator('header.head > dl');
    await expect(facts.locator('dt').allTextContents()).resolves.not.toContain('Appointment');
    await expect(facts.textContent()).resolves.toContain(`Done${dateTime(done.resolvedAt)}`);
    await expect(facts.textContent()).resolves.not.toContain(dateTime(done.appointment));

    await page.goto(`${base}/tech/${cancelled.id}`, { waitUntil: 'networkidle' });
    await expect(facts.textContent()).resolves.toContain(`Cancelled${dateTime(cancelled.closedAt)}`);
    await expect(page.getByRole('heading', { name: 'Cancelled' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: /Accept|Start/ }).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  it("keeps a customer's finished visits out of what is coming up, and offers the closed one to rate", async () => {
    const { page, errors } = await open(demoAccounts.customer, '/my', 390);
    const upcoming = page.getByRole('region', { name: 'Upcoming visits' });
    const openTickets = page.getByRole('region', { name: 'Open tickets' });
    for (const id of [done.id, cancelled.id])
      await expect(openTickets.locator(`li[data-ticket="${id}"]`).count()).resolves.toBe(0);
    for (const at of [done.appointment, cancelled.appointment])
      await expect(upcoming.textContent()).resolves.not.toContain(dateTime(at));
    // Dated by the day the technician came, as its entry under "Past visits", not the day it closed.
    const asked = await page.locator(`.rating[data-ticket="${done.id}"]`).textContent();
    expect(asked).toContain(`visit of ${date(done.resolvedAt)}`);
    expect(asked).not.toContain('closed');
    expect(errors).toEqual([]);
  });
});
