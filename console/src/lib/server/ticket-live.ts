import type { RequestHandler } from '@sveltejs/kit';
import { apiBaseUrl } from './config.ts';
import { log } from './log.ts';

/**
 * The service's event stream (GET /api/events/stream), passed through to the browser with the
 * session's token added here: the token never reaches the page, and the service still filters every
 * event to what this user may see. One upstream connection per open page; it ends when the page goes.
 *
 * What EventSource makes of the answers: 200 streams; 204 means "stop, do not reconnect" (the session
 * ended); any other status makes the page's live module retry later with its own back-off.
 */
export const proxyEventStream: RequestHandler = async ({ locals, request }) => {
  if (!locals.token) return new Response(null, { status: 204 });
  const upstreamAbort = new AbortController();
  const onClientGone = () => upstreamAbort.abort();
  request.signal.addEventListener('abort', onClientGone, { once: true });
  // EventSource sends the last id it saw when it reconnects by itself: the service replays what was missed.
  const lastEventId = request.headers.get('last-event-id');
  let upstream: Response;
  try {
    upstream = await fetch(new URL('/api/events/stream', apiBaseUrl()), {
      headers: {
        authorization: `Bearer ${locals.token}`,
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      signal: upstreamAbort.signal,
    });
  } catch (err) {
    request.signal.removeEventListener('abort', onClientGone);
    if (!upstreamAbort.signal.aborted)
      log().warn({ err }, 'the event stream of the service is not answering');
    return new Response('The Aftercare service is not answering.', { status: 503 });
  }
  if (upstream.status === 401 || upstream.status === 403) {
    upstreamAbort.abort();
    return new Response(null, { status: 204 });
  }
  if (!upstream.ok || !upstream.body) {
    upstreamAbort.abort();
    log().warn({ status: upstream.status }, 'the service refused the event stream');
    return new Response('The service refused the event stream.', { status: 502 });
  }
  const reader = upstream.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch {
        // The service ended the stream (shutting down) or the page went away: end ours too.
        controller.close();
      }
    },
    cancel() {
      upstreamAbort.abort();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
};
