import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

interface SseMessage {
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
          const message: SseMessage = { event: null, data: null, comment: null };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) message.comment = line.slice(1).trim();
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

  it('sends heartbeats while idle and lets go of the subscription when the client disconnects', async () => {
    // The earlier tests' streams are gone once the server has seen them close.
    await until(() => service.repos.events.listenerCount === 0);
    const stream = await openStream(`${service.url}/api/events/stream`, {
      authorization: 'Bearer test-admin-token-0123456789',
    });
    await stream.next((m) => m.comment?.startsWith('heartbeat') ?? false, 2000);
    expect(service.repos.events.listenerCount).toBe(1);
    await stream.close();
    await until(() => service.repos.events.listenerCount === 0);
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
      await until(() => service.repos.events.listenerCount === 1);
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
      for (let i = 0; i < 40_000 && service.repos.events.listenerCount > 0; i += 1)
        service.repos.events.publish(event);
      await until(() => service.repos.events.listenerCount === 0);
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
