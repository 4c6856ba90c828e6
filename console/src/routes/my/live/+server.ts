import { proxyEventStream } from '$lib/server/ticket-live.ts';

/** Live ticket and risk changes for this user's pages (the service's event stream, proxied with the session's token). */
export const GET = proxyEventStream;
