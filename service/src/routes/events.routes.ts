import type { ServerResponse } from 'node:http';
import { eventStreamQuerySchema, type ServiceEvent } from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EventBus } from '../events/event-bus.ts';
import { eventVisibleTo } from '../events/event-scope.ts';
import { allow, principalOf } from '../http/authentication.ts';
import { roles } from '../schemas.ts';
import { errorResponses } from './error-responses.ts';

export interface EventStreamOptions {
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** Bytes a client may leave unread before it is cut off (it reconnects and reloads). */
  maxBufferedBytes: number;
}

export interface EventRoutesOptions extends EventStreamOptions {
  events: EventBus;
}

/**
 * GET /api/events/stream: server-sent events of ticket and risk changes, each filtered to what the
 * caller may see. The token comes in the Authorization header or, for EventSource, `?access_token=`.
 * Memory per client is bounded: a client that stops reading is disconnected, not buffered for.
 */
export const eventRoutes: FastifyPluginAsyncZod<EventRoutesOptions> = async (
  app,
  { events, heartbeatMs, maxBufferedBytes },
) => {
  const open = new Set<() => void>();
  // Streams never end on their own: end them so that closing the server does not wait for clients.
  app.addHook('preClose', async () => {
    for (const close of [...open]) close();
  });

  app.get(
    '/events/stream',
    {
      config: { queryToken: true },
      preValidation: allow(...roles),
      schema: {
        tags: ['events'],
        summary: 'Server-sent events: ticket.changed and risk.changed, scoped to what the caller may see',
        description:
          'text/event-stream. Each message has `event: <type>` and `data: <JSON>` (see ServiceEvent in core). ' +
          'A comment line is sent as heartbeat. EventSource may pass the token as `?access_token=`.',
        querystring: eventStreamQuerySchema,
        response: errorResponses(400, 401, 403),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      reply.hijack();
      const res: ServerResponse = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let nextId = 0;
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(close);
        res.end();
      };
      const write = (chunk: string) => {
        if (closed) return;
        if (res.writableLength > maxBufferedBytes) {
          request.log.warn(
            { bufferedBytes: res.writableLength },
            'event stream client too slow; disconnecting',
          );
          close();
          return;
        }
        res.write(chunk);
      };
      const unsubscribe = events.subscribe((event: ServiceEvent) => {
        if (!eventVisibleTo(principal, event)) return;
        nextId += 1;
        write(`id: ${nextId}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      });
      const heartbeat = setInterval(() => write(`: heartbeat ${Date.now()}\n\n`), heartbeatMs);
      heartbeat.unref();
      open.add(close);
      request.raw.on('close', close);
      res.on('error', close);
      write('retry: 3000\n: connected\n\n');
    },
  );
};
