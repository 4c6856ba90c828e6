import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';

const request = (peer: string, forwarded?: string | string[]) => ({
  ip: peer,
  socket: { remoteAddress: peer },
  headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
});

describe('the address a login is counted against', () => {
  it("is the browser's, as the console on this host forwards it", () => {
    expect(clientAddress(request('127.0.0.1', '203.0.113.7'))).toBe('203.0.113.7');
    expect(clientAddress(request('::1', '2001:db8::5, 127.0.0.1'))).toBe('2001:db8::5');
    expect(clientAddress(request('::ffff:127.0.0.1', ['198.51.100.9']))).toBe('198.51.100.9');
  });

  it('is the peer itself when a client elsewhere sends the header: nobody picks their own key', () => {
    expect(clientAddress(request('198.51.100.20', '203.0.113.7'))).toBe('198.51.100.20');
  });

  it('is the address a proxy on this host appended, not the one the client wrote in front of it', () => {
    expect(clientAddress(request('127.0.0.1', '198.51.100.1, 203.0.113.7'))).toBe('203.0.113.7');
    expect(clientAddress(request('127.0.0.1', ['198.51.100.1', '203.0.113.7, 127.0.0.1']))).toBe(
      '203.0.113.7',
    );
  });

  it('is the peer when the header is missing or not an address', () => {
    expect(clientAddress(request('127.0.0.1'))).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1', 'not-an-address'))).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1', '203.0.113.7, not-an-address'))).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1', '127.0.0.1'))).toBe('127.0.0.1');
  });
});
