import { isTimeZone } from '@aftercare/core';
import { env } from '$env/dynamic/private';
import { hostTimeZone } from '$lib/format.ts';

/**
 * Where the service API answers. The wiring sets AFTERCARE_API_URL (cli/src/console/serve-console.ts
 * points it at the port the API and the console share); run alone, the console defaults to the API
 * of the one-process platform on this machine. Read on the server only: the browser never talks to
 * the API, so neither the URL nor the user's token reaches it.
 */
export function apiBaseUrl(): string {
  const configured = env.AFTERCARE_API_URL?.trim();
  const url = configured || `http://127.0.0.1:${env.AFTERCARE_HTTP_PORT?.trim() || '3000'}`;
  try {
    return new URL(url).origin;
  } catch {
    throw new Error(`AFTERCARE_API_URL: must be an http(s) URL (got "${url}")`);
  }
}

/**
 * The time zone the console shows every date and clock time in: AFTERCARE_TIMEZONE (the wiring sets
 * it to the demo region's zone for `pnpm start` when it is not given), else the host's zone. A name
 * the engine does not know stops the console with one line naming the variable, as the platform's
 * own configuration does.
 */
export function displayTimeZoneSetting(): string {
  const configured = env.AFTERCARE_TIMEZONE?.trim();
  if (!configured) return hostTimeZone();
  if (!isTimeZone(configured))
    throw new Error(
      `AFTERCARE_TIMEZONE: must be an IANA time zone such as "Asia/Kolkata" or "UTC" (got "${configured}")`,
    );
  return configured;
}
