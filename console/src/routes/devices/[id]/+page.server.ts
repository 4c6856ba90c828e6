import { loadDevicePage } from '$lib/server/device-page.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadDevicePage(event);
