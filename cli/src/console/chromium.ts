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
