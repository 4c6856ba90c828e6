import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium: the only browser the tests and benchmarks drive (none is downloaded). */
export const chromiumPath = '/usr/bin/chromium';

/** Headless, and quiet on the network: nothing but the console under test is fetched. */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Signs in on `page` through the console's login form and waits until the console moves on.
 * Passwords are hashed with scrypt: on a busy two-core machine a sign-in can take seconds.
 */
export async function signIn(
  page: Page,
  base: string,
  credentials: { email: string; password: string; redirectTo?: string | undefined },
): Promise<void> {
  const query = credentials.redirectTo ? `?redirectTo=${encodeURIComponent(credentials.redirectTo)}` : '';
  // Once the page's scripts are in, the form posts through SvelteKit instead of natively.
  await page.goto(`${base}/login${query}`, { waitUntil: 'networkidle' });
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 60_000 });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/** Everything the page logs as an error, or throws: a console page must log none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}
