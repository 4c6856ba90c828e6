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
 * everyone out of an account: a request from loopback may say whose it is (`X-Forwarded-For`, the
 * first address). From anywhere else the header is ignored, or a guesser could pick a fresh key for
 * every try.
 */
export function clientAddress(request: AddressedRequest): string {
  const peer = request.socket.remoteAddress ?? request.ip;
  if (!loopback.has(peer)) return request.ip;
  const header = request.headers['x-forwarded-for'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
  return first && isIP(first) !== 0 ? first : request.ip;
}
