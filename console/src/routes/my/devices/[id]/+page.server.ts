import { loadDevicePage } from '$lib/server/device-page.ts';
import type { PageServerLoad } from './$types';

/** A customer's own device; another customer's id is "not found", as the API answers it. */
export const load: PageServerLoad = (event) => loadDevicePage(event);
