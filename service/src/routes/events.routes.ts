import type { ServerResponse } from 'node:http';
import { eventStreamQuerySchema, eventStreamResponseSchema, type ServiceEvent } from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type CredentialRevocations, revokes, stillGrants } from '../events/credential-revocations.ts';
import type { EventBus } from '../events/event-bus.ts';
import { EventLog, type LoggedEntry, parseEventId } from '../events/event-log.ts';
import { eventVisibleTo } from '../events/event-scope.ts';
import {
  allow,
  bearerToken,
  type CredentialCheck,
  invalidTokenError,
  principalOf,
} from '../http/authentication.ts';
import type { Principal } from '../principal.ts';
import { roles } from '../schemas.ts';
import { errorResponses } from './error-responses.ts';

export interface EventStreamOptions {
  /** A comment line this often keeps proxies from closing an idle stream; the credential is checked again then too. */
  heartbeatMs: number;
  /** Bytes a client may leave unread before it is cut off (it reconnects and reloads). */
  maxBufferedBytes: number;
  /** Events kept for clients that reconnect with `Last-Event-ID` (memory: about 0.5 KB each). */
  replayEvents: number;
}

export interface EventRoutesOptions extends EventStreamOptions {
  events: EventBus;
  /** Where sessions, accounts and tokens are revoked: a stream whose credential is revoked ends at once. */
  revocations: readonly CredentialRevocations[];
  checkCredential: CredentialCheck;
}

type CloseReason = 'client gone' | 'too slow' | 'revoked' | 'check failed' | 'server closing';

interface OpenStream {
  principal: Principal;
  send(entry: LoggedEntry<StreamedEvent>): void;
  close(reason: CloseReason): void;
}

interface StreamedEvent {
  event: ServiceEvent;
  /** The SSE message but its id, serialised once for every stream. */
  message: string;
}

/**
 * GET /api/events/stream: server-sent events of ticket and risk changes, each filtered to what the
 * caller may see. The token comes in the Authorization header or, for EventSource, `?access_token=`.
 * Memory per client is bounded: a client that stops reading is disconnected, not buffered for.
 * A stream ends as soon as its credential is revoked in this process, and at the next heartbeat when
 * the check finds it no longer valid (expired, or revoked by another process sharing the database).
 */
export const eventRoutes: FastifyPluginAsyncZod<EventRoutesOptions> = async (
  app,
  { events, revocations, checkCredential, heartbeatMs, maxBufferedBytes, replayEvents },
) => {
  // Numbered once here, not per connection, so that an id means the same on every stream and a client
  // that reconnects can say where it left off. Starting from the clock in microseconds keeps ids rising
  // across restarts: an id from before a restart reads as older than everything kept.
  const log = new EventLog<StreamedEvent>(replayEvents, Date.now() * 1000);
  const open = new Set<OpenStream>();
  const stopEvents = events.subscribe((event) => {
    const entry = log.append({ event, message: `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n` });
    for (const stream of open) stream.send(entry);
  });
  const stopRevocations = revocations.map((source) =>
    source.subscribe((revocation) => {
      for (const stream of [...open]) if (revokes(revocation, stream.principal)) stream.close('revoked');
    }),
  );
  // Streams never end on their own: end them so that closing the server does not wait for clients.
  app.addHook('preClose', async () => {
    for (const stream of [...open]) stream.close('server closing');
  });
  app.addHook('onClose', async () => {
    stopEvents();
    for (const stop of stopRevocations) stop();
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
          'text/event-stream. Each message has `id: <n>`, `event: <type>` and `data: <JSON>` (see ServiceEvent ' +
          'in core). Ids rise across all streams; reconnecting with `Last-Event-ID` first replays the recent ' +
          'events after it that the caller may see. A comment line is sent as heartbeat. The stream ends ' +
          'when its credential is revoked (logout, account disabled, token revoked). EventSource may pass ' +
          'the token as `?access_token=`.',
        querystring: eventStreamQuerySchema,
        response: { 200: eventStreamResponseSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const token = bearerToken(request);
      // The hook checked the token before validation ran. It is checked again here, with revocations
      // watched from before the check until the stream is registered, so that a credential revoked in
      // between gets no stream (rather than one that runs on until the next heartbeat's check).
      let revokedMeanwhile = false;
      const stopWatching = revocations.map((source) =>
        source.subscribe((revocation) => {
          if (revokes(revocation, principal)) revokedMeanwhile = true;
        }),
      );
      let current: Principal | null;
      try {
        current = await checkCredential(token);
      } finally {
        for (const stop of stopWatching) stop();
      }
      if (revokedMeanwhile || !stillGrants(principal, current)) throw invalidTokenError();
      const lastEventId = parseEventId(request.headers['last-event-id']);

      reply.hijack();
      const res: ServerResponse = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let closed = false;
      let checking = false;
      const write = (chunk: string) => {
        if (closed) return;
        if (res.writableLength > maxBufferedBytes) {
          request.log.warn(
            { bufferedBytes: res.writableLength },
            'event stream client too slow; disconnecting',
          );
          stream.close('too slow');
          return;
        }
        res.write(chunk);
      };
      const stream: OpenStream = {
        principal,
        send(entry) {
          if (eventVisibleTo(principal, entry.value.event)) write(`id: ${entry.id}\n${entry.value.message}`);
        },
        close(reason) {
          if (closed) return;
          closed = true;
          clearInterval(heartbeat);
          open.delete(stream);
          if (reason === 'revoked')
            request.log.info({ reason }, 'event stream ended: its credential was revoked');
          else request.log.debug({ reason }, 'event stream closed');
          res.end();
        },
      };
      const checkAgain = () => {
        if (checking || closed) return;
        checking = true;
        checkCredential(token)
          .then(
            (now) => {
              if (!stillGrants(principal, now)) stream.close('revoked');
            },
            (err: unknown) => {
              request.log.warn({ err }, 'could not check the credential of an event stream again; ending it');
              stream.close('check failed');
            },
          )
          .finally(() => {
            checking = false;
          });
      };
      const heartbeat = setInterval(() => {
        write(`: heartbeat ${Date.now()}\n\n`);
        checkAgain();
      }, heartbeatMs);
      heartbeat.unref();
      request.raw.on('close', () => stream.close('client gone'));
      res.on('close', () => stream.close('client gone'));
      res.on('error', () => stream.close('client gone'));
      write('retry: 3000\n: connected\n\n');
      // Replayed and registered in one synchronous run: no live event can slip in between or come twice.
      if (lastEventId !== null) for (const entry of log.after(lastEventId)) stream.send(entry);
      // A client that left while its credential was checked, or was too slow for the replay, is not kept.
      if (res.destroyed || res.socket === null || res.socket.destroyed) stream.close('client gone');
      if (closed) return;
      open.add(stream);
      request.log.debug({ replayedAfter: lastEventId }, 'event stream opened');
    },
  );
};
