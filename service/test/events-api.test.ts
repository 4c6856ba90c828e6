import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

interface SseMessage {
  id: string | null;
  event: string | null;
  data: string | null;
  comment: string | null;
}

/** An EventSource-like reader over a real socket: parses the stream into messages as they arrive. */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const messages: SseMessage[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  const pump = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let split = buffer.indexOf('\n\n');
        while (split !== -1) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          const message: SseMessage = { id: null, event: null, data: null, comment: null };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) message.comment = line.slice(1).trim();
            else if (line.startsWith('id: ')) message.id = line.slice(4);
            else if (line.startsWith('event: ')) message.event = line.slice(7);
            else if (line.startsWith('data: ')) message.data = line.slice(6);
          }
          messages.push(message);
          split = buffer.indexOf('\n\n');
        }
        for (const wake of waiters.splice(0)) wake();
      }
    } catch {
      // aborted by the test
    } finally {
      ended = true;
      for (const wake of waiters.splice(0)) wake();
    }
  })();
  return {
    response,
    messages,
    get ended() {
      return ended;
    },
    /** Waits for a message matching `match`, failing after `timeoutMs`. */
    async next(match: (m: SseMessage) => boolean, timeoutMs = 5000): Promise<SseMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(match);
        if (found) return found;
        if (ended) throw new Error('stream ended');
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async close() {
      abort.abort();
      await pump;
    },
  };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** How many streams the service has logged as closed for `reason`. */
function streamsClosed(service: ServiceHarness, reason: string): number {
  return service.logs.filter((line) => {
    const entry = JSON.parse(line) as { msg?: string; reason?: string };
    return entry.reason === reason && entry.msg?.startsWith('event stream') === true;
  }).length;
}

const ticketIdOf = (message: SseMessage) => (JSON.parse(message.data!) as { ticketId: string }).ticketId;

describe('GET /api/events/stream', () => {
  let service: ServiceHarness;
  let customerA: string;
  let customerB: string;
  let deviceA: string;
  let deviceB: string;
  beforeAll(async () => {
    service = await startService({ config: { eventStream: { heartbeatMs: 100 } } });
    customerA = (await service.repos.customers.create(aCustomer())).id;
    customerB = (await service.repos.customers.create(aCustomer())).id;
    deviceA = (
      await service.api('/api/devices', { method: 'POST', body: aDevice({ customerId: customerA }) })
    ).body.id;
    deviceB = (
      await service.api('/api/devices', { method: 'POST', body: aDevice({ customerId: customerB }) })
    ).body.id;
  });
  afterAll(() => service.close());

  const openTicket = async (deviceId: string) =>
    (await service.api('/api/tickets', { method: 'POST', body: { deviceId, description: 'Noisy at night' } }))
      .body.id as string;

  it('needs credentials', async () => {
    const res = await fetch(`${service.url}/api/events/stream`);
    expect(res.status).toBe(401);
    const wrong = await fetch(`${service.url}/api/events/stream?access_token=aft_nope`);
    expect(wrong.status).toBe(401);
  });

  it('delivers a ticket change to a planner as it commits, with the token in the header', async () => {
    const planner = await service.login({ email: 'planner@example.com', role: 'planner' });
    const stream = await openStream(`${service.url}/api/events/stream`, {
      authorization: `Bearer ${planner}`,
    });
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      await stream.next((m) => m.comment === 'connected');
      const ticketId = await openTicket(deviceA);
      const opened = await stream.next((m) => m.event === 'ticket.changed');
      expect(JSON.parse(opened.data!)).toMatchObject({
        type: 'ticket.changed',
        ticketId,
        action: 'opened',
        status: 'open',
        customerId: customerA,
      });
      await service.api(`/api/tickets/${ticketId}/transitions`, {
        method: 'POST',
        body: { to: 'cancelled', reason: 'duplicate' },
      });
      const cancelled = await stream.next((m) => m.data?.includes('"action":"cancelled"') ?? false);
      expect(JSON.parse(cancelled.data!)).toMatchObject({
        ticketId,
        status: 'cancelled',
        previousStatus: 'open',
        version: 2,
      });
    } finally {
      await stream.close();
    }
  });

  it("gives a customer (EventSource style, ?access_token=) its own tickets' changes and not another customer's", async () => {
    const token = await service.login({ email: 'a@example.com', role: 'customer', customerId: customerA });
    const stream = await openStream(`${service.url}/api/events/stream?access_token=${token}`);
    try {
      await stream.next((m) => m.comment === 'connected');
      const other = await openTicket(deviceB);
      const mine = await openTicket(deviceA);
      const event = await stream.next((m) => m.event === 'ticket.changed');
      expect(JSON.parse(event.data!).ticketId).toBe(mine);
      expect(stream.messages.some((m) => m.data?.includes(other))).toBe(false);
      expect(service.logs.join('\n')).not.toContain(token);
    } finally {
      await stream.close();
    }
  });

  it('passes on risk changes published on the bus, scoped the same way', async () => {
    const token = await service.login({ email: 'b@example.com', role: 'customer', customerId: customerB });
    const stream = await openStream(`${service.url}/api/events/stream?access_token=${token}`);
    try {
      await stream.next((m) => m.comment === 'connected');
      const risk = {
        type: 'risk.changed',
        component: 'compressor',
        failureMode: 'compressor_wear',
        pFail: 0.7,
        daysLeft: 6,
        modelVersion: 'm',
        at: 1,
      } as const;
      service.repos.events.publish({ ...risk, deviceId: deviceA, customerId: customerA });
      service.repos.events.publish({ ...risk, deviceId: deviceB, customerId: customerB });
      const event = await stream.next((m) => m.event === 'risk.changed');
      expect(JSON.parse(event.data!)).toMatchObject({ deviceId: deviceB, pFail: 0.7 });
      expect(stream.messages.filter((m) => m.event === 'risk.changed')).toHaveLength(1);
    } finally {
      await stream.close();
    }
  });

  it('sends heartbeats while idle and lets go of the stream when the client disconnects', async () => {
    const stream = await openStream(`${service.url}/api/events/stream`, {
      authorization: 'Bearer test-admin-token-0123456789',
    });
    await stream.next((m) => m.comment?.startsWith('heartbeat') ?? false, 2000);
    const gone = streamsClosed(service, 'client gone');
    await stream.close();
    await until(() => streamsClosed(service, 'client gone') === gone + 1);
    // One subscription serves every stream, however many come and go.
    expect(service.repos.events.listenerCount).toBe(1);
  });

  it('numbers events once for every stream, ids rising, the same event with the same id', async () => {
    const planner = await service.login({ email: 'numbers@example.com', role: 'planner' });
    const url = `${service.url}/api/events/stream?access_token=${planner}`;
    const [one, two] = [await openStream(url), await openStream(url)];
    try {
      await one.next((m) => m.comment === 'connected');
      await two.next((m) => m.comment === 'connected');
      const first = await openTicket(deviceA);
      const second = await openTicket(deviceB);
      const seen = async (stream: typeof one, ticketId: string) =>
        Number((await stream.next((m) => m.data?.includes(ticketId) ?? false)).id);
      const [a1, a2] = [await seen(one, first), await seen(one, second)];
      expect(a2).toBeGreaterThan(a1);
      expect([await seen(two, first), await seen(two, second)]).toEqual([a1, a2]);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('replays to a client coming back with Last-Event-ID the events it missed, and only those it may see', async () => {
    const token = await service.login({ email: 'back@example.com', role: 'customer', customerId: customerA });
    const url = `${service.url}/api/events/stream?access_token=${token}`;
    const first = await openStream(url);
    await first.next((m) => m.comment === 'connected');
    const seenBefore = await openTicket(deviceA);
    const lastSeen = await first.next((m) => m.data?.includes(seenBefore) ?? false);
    await first.close();

    const missed = await openTicket(deviceA);
    const notMine = await openTicket(deviceB);
    const missedToo = await openTicket(deviceA);
    const again = await openStream(url, { 'last-event-id': lastSeen.id! });
    try {
      await again.next((m) => m.data?.includes(missedToo) ?? false);
      const replayed = again.messages.filter((m) => m.event === 'ticket.changed');
      expect(replayed.map(ticketIdOf)).toEqual([missed, missedToo]);
      expect(again.messages.some((m) => m.data?.includes(notMine))).toBe(false);
      const live = await openTicket(deviceA);
      expect(ticketIdOf(await again.next((m) => m.data?.includes(live) ?? false))).toBe(live);
    } finally {
      await again.close();
    }
    const fresh = await openStream(url);
    try {
      await fresh.next((m) => m.comment === 'connected');
      expect(fresh.messages.filter((m) => m.event !== null)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe('the event stream of a revoked credential', () => {
  let service: ServiceHarness;
  let deviceId: string;
  beforeAll(async () => {
    // Heartbeats (and their credential checks) far apart: these streams must end because they are told.
    service = await startService({ config: { eventStream: { heartbeatMs: 60_000 } } });
    const customerId = (await service.repos.customers.create(aCustomer())).id;
    deviceId = (await service.api('/api/devices', { method: 'POST', body: aDevice({ customerId }) })).body.id;
  });
  afterAll(() => service.close());

  const openTicket = async () =>
    (await service.api('/api/tickets', { method: 'POST', body: { deviceId, description: 'Leaking water' } }))
      .body.id as string;

  /** A stream that has seen a ticket change, so it is known to be live when the credential goes. */
  const liveStream = async (token: string) => {
    const stream = await openStream(`${service.url}/api/events/stream?access_token=${token}`);
    await stream.next((m) => m.comment === 'connected');
    const ticketId = await openTicket();
    await stream.next((m) => m.data?.includes(ticketId) ?? false);
    return stream;
  };

  /**
   * Revokes with `revoke` and at once changes a ticket, which a bystander's stream does receive: the
   * revoked stream must get no event after the revocation, and end.
   */
  async function expectEndedAtRevocation(token: string, revoke: () => Promise<void>) {
    const stream = await liveStream(token);
    const bystander = await liveStream(await service.tokenFor('planner'));
    try {
      const eventsBefore = stream.messages.filter((m) => m.event !== null).length;
      await revoke();
      const afterRevocation = await openTicket();
      await bystander.next((m) => m.data?.includes(afterRevocation) ?? false);
      await until(() => stream.ended, 2000);
      expect(stream.messages.filter((m) => m.event !== null)).toHaveLength(eventsBefore);
      const reconnect = await fetch(`${service.url}/api/events/stream?access_token=${token}`);
      expect(reconnect.status).toBe(401);
    } finally {
      await stream.close();
      await bystander.close();
    }
  }

  it('ends the stream of a session when it logs out', async () => {
    const token = await service.login({ email: 'logout@example.com', role: 'planner' });
    await expectEndedAtRevocation(token, async () => {
      expect((await service.api('/api/auth/logout', { method: 'POST', token })).status).toBe(204);
    });
    expect(streamsClosed(service, 'revoked')).toBeGreaterThan(0);
  });

  it('ends the streams of an account when an admin disables it', async () => {
    const token = await service.login({ email: 'disabled@example.com', role: 'planner' });
    const userId = (await service.api('/api/auth/me', { token })).body.user.id as string;
    await expectEndedAtRevocation(token, async () => {
      expect((await service.api(`/api/users/${userId}/disable`, { method: 'POST' })).status).toBe(204);
    });
  });

  it('ends the stream of an API token when it is revoked', async () => {
    const { token, record } = await service.tokens.create({ name: 'wallboard', role: 'planner' });
    await expectEndedAtRevocation(token, () => service.tokens.revoke(record.id));
  });

  it('ends only the session that logged out, not another session of the same account', async () => {
    const password = 'a long enough test password';
    await service.repos.users.create({ email: 'two-tabs@example.com', password, role: 'planner' });
    const session = async () =>
      (
        await service.api('/api/auth/login', {
          method: 'POST',
          token: null,
          body: { email: 'two-tabs@example.com', password },
        })
      ).body.token as string;
    const [leaving, staying] = [await session(), await session()];
    const other = await liveStream(staying);
    try {
      await expectEndedAtRevocation(leaving, async () => {
        await service.api('/api/auth/logout', { method: 'POST', token: leaving });
      });
      const later = await openTicket();
      await other.next((m) => m.data?.includes(later) ?? false);
      expect(other.ended).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('ends a stream at the next heartbeat when its session went without a word (another process, expiry)', async () => {
    const quick = await startService({ config: { eventStream: { heartbeatMs: 100 } } });
    try {
      const token = await quick.login({ email: 'quietly@example.com', role: 'planner' });
      const stream = await openStream(`${quick.url}/api/events/stream?access_token=${token}`);
      await stream.next((m) => m.comment?.startsWith('heartbeat') ?? false);
      await quick.db.deleteFrom('sessions').execute();
      await until(() => stream.ended, 2000);
      await stream.close();
      expect(streamsClosed(quick, 'revoked')).toBe(1);
    } finally {
      await quick.close();
    }
  });
});

describe('the event stream under pressure', () => {
  it('cuts off a client that stops reading instead of buffering for it without bound', async () => {
    const service = await startService({ config: { eventStream: { maxBufferedBytes: 64 * 1024 } } });
    const { connect } = await import('node:net');
    const port = Number(new URL(service.url).port);
    const socket = connect(port, '127.0.0.1');
    try {
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(
        `GET /api/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-admin-token-0123456789\r\n\r\n`,
      );
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('utf8');
      });
      await until(() => received.includes(': connected'));
      socket.pause();
      const event = {
        type: 'risk.changed',
        deviceId: 'dev-x',
        customerId: null,
        component: 'compressor',
        failureMode: 'compressor_wear',
        pFail: 0.5,
        daysLeft: 3,
        modelVersion: 'x'.repeat(90),
        at: 1,
      } as const;
      // Far more than the socket buffers of this machine hold, published while the client reads nothing.
      for (let i = 0; i < 40_000 && streamsClosed(service, 'too slow') === 0; i += 1) {
        service.repos.events.publish(event);
        // Now and then, let the socket take what it will.
        if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
      }
      await until(() => streamsClosed(service, 'too slow') === 1);
      expect(service.logs.some((line) => line.includes('event stream client too slow'))).toBe(true);
    } finally {
      socket.destroy();
      await service.close();
    }
  });

  it('ends open streams when the server closes, rather than waiting for their clients', async () => {
    const service = await startService();
    const stream = await openStream(`${service.url}/api/events/stream`, {
      authorization: 'Bearer test-admin-token-0123456789',
    });
    await stream.next((m) => m.comment === 'connected');
    await service.close();
    await until(() => stream.ended);
    await stream.close();
  });
});
