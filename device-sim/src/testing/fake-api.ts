import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { provisionDeviceBodySchema } from '@aftercare/core';

export const token = 'admin-token-0123456789';

/** Plays the service's POST /api/devices: 201 with a secret once, 409 afterwards. */
export class FakeApi {
  readonly devices = new Map<string, unknown>();
  failuresBeforeSuccess = new Map<string, number>();
  reject = new Set<string>();
  inFlight = 0;
  maxInFlight = 0;
  server: Server;
  url = '';

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let body = '';
    for await (const chunk of req) body += chunk;
    await sleep(5);
    this.inFlight--;
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.method !== 'POST' || req.url !== '/api/devices') return reply(404, { message: 'not found' });
    if (req.headers.authorization !== `Bearer ${token}`)
      return reply(401, { message: 'missing or bad token' });
    const parsed = provisionDeviceBodySchema.safeParse(JSON.parse(body));
    if (!parsed.success) return reply(400, { message: parsed.error.issues[0]!.message });
    const id = parsed.data.id;
    if (this.reject.has(id)) return reply(400, { message: `model not allowed for ${id}` });
    const failures = this.failuresBeforeSuccess.get(id) ?? 0;
    if (failures > 0) {
      this.failuresBeforeSuccess.set(id, failures - 1);
      return reply(503, { message: 'database busy' });
    }
    if (this.devices.has(id)) return reply(409, { message: `device ${id} is already provisioned` });
    this.devices.set(id, parsed.data);
    reply(201, { ...parsed.data, secret: `secret-of-${id}` });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
