import { isIP } from 'node:net';

/** The request as far as its address goes (fastify's request carries these). */
export interface AddressedRequest {
  ip: string;
  socket: { remoteAddress?: string | undefined };
  headers: Record<string, string | string[] | undefined>;
}

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The address of whoever is really on the other end. The console's server signs people in from this
 * host, so every browser would share its loopback address and one guesser's failures would lock
 * everyone out of an account: a request from loopback may say whose it is (`X-Forwarded-For`). From
 * anywhere else the header is ignored, or a guesser could pick a fresh key for every try.
 *
 * The header is read from the right, past the hops on this host, as fastify's `trustProxy` reads it:
 * a proxy appends the address it saw, so only the rightmost untrusted entry is not the client's own
 * words (nginx's `$proxy_add_x_forwarded_for` keeps whatever the client sent in front of it).
 */
export function clientAddress(request: AddressedRequest): string {
  const peer = request.socket.remoteAddress ?? request.ip;
  if (!loopback.has(peer)) return request.ip;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => hop.trim());
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i] ?? '';
    if (hop === '' || loopback.has(hop)) continue;
    return isIP(hop) !== 0 ? hop : request.ip;
  }
  return request.ip;
}
