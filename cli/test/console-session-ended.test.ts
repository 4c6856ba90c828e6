import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireBinary } from '@aftercare/ingest/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, signIn, watchErrors } from '../src/console/chromium.ts';
import type { RunningPlatform } from '../src/platform.ts';
import { startConsolePlatform } from './console-session.ts';
import type { Api } from './helpers.ts';

/*
 * A form sent after the session has ended (signed out in another tab, the password changed, the
 * 12 hours up; here: the session cookie cleared) takes the person to the login page, and signing in
 * there brings them back to the page they were on. It used to fail silently: the console answered
 * an enhanced form's post with a 401 that SvelteKit's forms do not read, so nothing happened.
 */

const hasChromium = requireBinary('/usr/bin/chromium', 'chromium');
vi.stubEnv('AFTERCARE_LOG_LEVEL', 'warn');
const screenshots = fileURLToPath(new URL('../../console/screenshots/', import.meta.url));
const adminToken = 'console-session-ended-admin-0123';
const planner = { email: 'ended.planner@example.com', password: 'ended planner password 5' };
const ravi = { email: 'ended.ravi@example.com', password: 'ended technician password 8' };
const hour = 3_600_000;

/** Where the page is now: its path and query, as a `redirectTo` names it. */
const where = (page: Page) => {
  const url = new URL(page.url());
  return url.pathname + url.search;
};

/** Waits until `page` is on the login page, and answers the page it is to return to. */
async function loginPageReached(page: Page): Promise<string | null> {
  await page.waitForURL((url) => url.pathname === '/login', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  return new URL(page.url()).searchParams.get('redirectTo');
}

/** Signs in on the login page `page` is on, and waits until it has left it. */
async function signInHere(page: Page, credentials: { email: string; password: string }) {
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 60_000 });
}

describe.skipIf(!hasChromium)('a form sent after the session ended, in Chromium', () => {
  let dataDir: string;
  let platform: RunningPlatform;
  let api: Api;
  let base: string;
  let browser: Browser;
  let jobId: string;
  let technicianId: string;
  /** The job's day on the dispatch board's clock. */
  let jobDate: string;

  async function call(method: string, path: string, body: unknown, status: number) {
    const res = await api.request(method, path, body);
    expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBe(status);
    return res.body as { id: string };
  }

  const notesOfJob = async () =>
    ((await api.get(`/api/tickets/${jobId}`)).body.notes as { text: string }[]).map((n) => n.text);

  beforeAll(async () => {
    ({ dataDir, platform, base, api } = await startConsolePlatform({
      dataDirPrefix: 'aftercare-console-session-ended-',
      adminToken,
      screenshots,
    }));
    const customer = await call(
      'POST',
      '/api/customers',
      { name: 'Meena Rao', kind: 'residential', contact: { email: 'meena@example.com' } },
      201,
    );
    // At a site with a place, so that the dispatch board can draw the job.
    const site = await call(
      'POST',
      `/api/customers/${customer.id}/sites`,
      { name: 'Mylapore flat', address: '9 Luz Church Road, Mylapore, Chennai', lat: 13.034, lon: 80.268 },
      201,
    );
    await call(
      'POST',
      '/api/devices',
      { id: 'sim-ac-00031', model: 'split-ac', customerId: customer.id, siteId: site.id },
      201,
    );
    const partner = await call(
      'POST',
      '/api/partners',
      { name: 'CoolFix Mylapore', kind: 'authorised_centre', lat: 13.03, lon: 80.27, coverageRadiusKm: 25 },
      201,
    );
    technicianId = (
      await call(
        'POST',
        `/api/partners/${partner.id}/technicians`,
        {
          name: 'Ravi Shankar',
          home: { lat: 13.03, lon: 80.26 },
          workingHours: {
            days: [1, 2, 3, 4, 5, 6, 7],
            start: '00:00',
            end: '23:59',
            timezone: 'Asia/Kolkata',
          },
          dailyCapacityMinutes: 600,
          skills: [{ skill: 'refrigeration', certificateId: 'RAC-31', certifiedUntil: Date.UTC(2035, 0, 1) }],
        },
        201,
      )
    ).id;
    await platform.repositories.users.create({ ...planner, role: 'planner' });
    await platform.repositories.users.create({ ...ravi, role: 'technician', technicianId });
    jobId = (
      await call(
        'POST',
        '/api/tickets',
        {
          kind: 'corrective',
          deviceId: 'sim-ac-00031',
          title: 'Ice on the indoor coil',
          description: 'Customer call',
        },
        201,
      )
    ).id;
    // On a quarter hour, as the Reassign form's time field steps.
    const start = Math.ceil((Date.now() + 2 * hour) / (15 * 60_000)) * 15 * 60_000;
    await call(
      'PUT',
      `/api/tickets/${jobId}/assignment`,
      {
        technicianId,
        appointment: { start, end: start + hour },
        outsideWorkingHours: true,
        reason: 'test: booked from now, whatever the hour',
      },
      200,
    );
    const today = new Date().toISOString().slice(0, 10);
    const zone = (await api.get(`/api/dispatch/day?date=${today}`)).body.timezone as string;
    jobDate = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(start);
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("takes a technician whose session ended from their job's note to the login page and back to the job, on a phone", async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await signIn(page, base, { ...ravi, redirectTo: `/tech/${jobId}` });
    const errors = watchErrors(page);
    await page.waitForLoadState('networkidle');
    expect(where(page)).toBe(`/tech/${jobId}`);

    // The browser keeps its cookie; the service no longer knows the session behind it.
    const session = (await context.cookies()).find((c) => c.name === 'aftercare_session')!;
    await context.addCookies([{ ...session, value: 'a-session-the-service-has-ended' }]);
    await page.getByLabel('New note').fill('Coil iced over; filters clogged.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect(loginPageReached(page)).resolves.toBe(`/tech/${jobId}`);
    await page.getByText('Your session has ended: sign in again to carry on where you were.').waitFor();
    await page.screenshot({ path: join(screenshots, 'phone-session-ended-login.png'), fullPage: true });
    // Nothing was sent on the ended session.
    await expect(notesOfJob()).resolves.toEqual([]);

    await signInHere(page, ravi);
    expect(where(page)).toBe(`/tech/${jobId}`);
    await page.getByRole('heading', { level: 1, name: 'Ice on the indoor coil' }).waitFor();
    // Signed in again, the note typed before is back in its form, and the same tap goes through.
    await page.locator('[data-restored]').waitFor();
    await expect(page.getByLabel('New note').inputValue()).resolves.toBe('Coil iced over; filters clogged.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page
      .getByRole('region', { name: 'Notes' })
      .getByRole('listitem')
      .filter({ hasText: 'Coil iced over; filters clogged.' })
      .waitFor();
    await page.screenshot({ path: join(screenshots, 'phone-session-ended-back.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("takes a planner whose session ended from a ticket's Reassign to the login page and back to the ticket", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, base, { ...planner, redirectTo: `/tickets/${jobId}` });
    const errors = watchErrors(page);
    await page.waitForLoadState('networkidle');
    const assignment = page.locator('section', {
      has: page.getByRole('heading', { name: 'Assignment and appointment' }),
    });
    const reassign = assignment.getByRole('button', { name: 'Reassign' });
    await reassign.waitFor();
    const before = (await api.get(`/api/tickets/${jobId}`)).body.version;

    // Signed out elsewhere: the service ends the session while the console may still hold it for a
    // few seconds, so the post can reach the action, whose API call is then answered 401.
    const session = (await context.cookies()).find((c) => c.name === 'aftercare_session')!;
    expect((await api.request('POST', '/api/auth/logout', undefined, session.value)).status).toBe(204);
    await assignment.getByLabel(/^Reason/).fill('Customer asked for the afternoon');
    await reassign.click();
    await expect(loginPageReached(page)).resolves.toBe(`/tickets/${jobId}`);
    await page.getByText('Your session has ended: sign in again to carry on where you were.').waitFor();
    await page.screenshot({ path: join(screenshots, 'session-ended-login.png'), fullPage: true });
    expect((await api.get(`/api/tickets/${jobId}`)).body.version).toBe(before);

    await signInHere(page, planner);
    expect(where(page)).toBe(`/tickets/${jobId}`);
    await assignment.getByRole('button', { name: 'Reassign' }).waitFor();
    await expect(assignment.getByLabel(/^Reason/).inputValue()).resolves.toBe(
      'Customer asked for the afternoon',
    );
    // The session was ended on purpose: a background request of the page made in between (the form's
    // look at the technician's day) may be answered 401, by design (the last test); the browser logs
    // that as a failed resource. Nothing else may fail.
    expect(errors.filter((e) => !/status of 401 \(Unauthorized\)/.test(e))).toEqual([]);
    await context.close();
  });

  it('brings a planner back to the same day of the dispatch board when a re-plan is asked after the session ended', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, base, { ...planner, redirectTo: `/dispatch?date=${jobDate}` });
    const errors = watchErrors(page);
    await page.waitForLoadState('networkidle');
    const replan = page.locator('section', {
      has: page.getByRole('heading', { name: 'A technician is out' }),
    });
    await replan.getByLabel('Technician').selectOption(technicianId);

    await context.clearCookies();
    // The form reads its own answers (a proposal, a refusal): being sent to sign in is not one of them.
    await replan.getByRole('button', { name: 'Propose a re-plan' }).click();
    await expect(loginPageReached(page)).resolves.toBe(`/dispatch?date=${jobDate}`);

    await signInHere(page, planner);
    expect(where(page)).toBe(`/dispatch?date=${jobDate}`);
    await page.getByRole('heading', { name: 'A technician is out' }).waitFor();
    await page.screenshot({ path: join(screenshots, 'session-ended-dispatch-back.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sends a form posted without scripts to the login page too, and back to its page', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await signIn(page, base, { ...ravi, redirectTo: `/tech/${jobId}` });
    expect(where(page)).toBe(`/tech/${jobId}`);

    await context.clearCookies();
    await page.getByLabel('New note').fill('Sent without scripts.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect(loginPageReached(page)).resolves.toBe(`/tech/${jobId}`);

    await signInHere(page, ravi);
    expect(where(page)).toBe(`/tech/${jobId}`);
    expect(await notesOfJob()).not.toContain('Sent without scripts.');
    await context.close();
  });

  it("answers requests without a session that are not a page's forms as before", async () => {
    // A page's own JSON request (the Reassign form asks for the technician's day): a 401 it can read.
    const day = await fetch(
      `${base}/tickets/${jobId}/technician-day?technicianId=${technicianId}&date=${jobDate}&timezone=UTC`,
      { headers: { accept: 'application/json' } },
    );
    expect(day.status).toBe(401);
    await expect(day.json()).resolves.toMatchObject({ message: 'Your session has ended; sign in again.' });

    // A form's post with no page named by the browser: back to the form's page, without its action.
    const plain = await fetch(`${base}/tech/${jobId}?/note`, {
      method: 'POST',
      headers: { origin: base, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'text=hello',
      redirect: 'manual',
    });
    expect([plain.status, plain.headers.get('location')]).toEqual([
      303,
      `/login?redirectTo=${encodeURIComponent(`/tech/${jobId}`)}`,
    ]);
    const enhanced = await fetch(`${base}/tech/${jobId}?/note`, {
      method: 'POST',
      headers: {
        origin: base,
        accept: 'application/json',
        'x-sveltekit-action': 'true',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'text=hello',
      redirect: 'manual',
    });
    await expect(enhanced.json()).resolves.toEqual({
      type: 'redirect',
      status: 303,
      location: `/login?redirectTo=${encodeURIComponent(`/tech/${jobId}`)}`,
    });
    await expect(notesOfJob()).resolves.not.toContain('hello');
  });
});
