import { describe, expect, it } from 'vitest';
import { PresenceBook } from './presence.ts';

describe('PresenceBook', () => {
  it('announces online on the first connection and offline when it goes', () => {
    const book = new PresenceBook<string>();
    book.loggedIn('ac-0001', 'a');
    expect(book.connected('ac-0001', 'a')).toBe('online');
    expect(book.isOnline('ac-0001')).toBe(true);
    expect(book.disconnected('ac-0001', 'a')).toBe('offline');
    expect(book.onlineCount).toBe(0);
  });

  it('does not flap to offline when a second connection with the same client id takes over', () => {
    const book = new PresenceBook<string>();
    book.loggedIn('ac-0001', 'old');
    book.connected('ac-0001', 'old');
    book.loggedIn('ac-0001', 'new');
    expect(book.disconnected('ac-0001', 'old')).toBe('unchanged');
    expect(book.connected('ac-0001', 'new')).toBe('unchanged');
    expect(book.isOnline('ac-0001')).toBe(true);
    expect(book.disconnected('ac-0001', 'new')).toBe('offline');
  });

  it('keeps the older connection when a newer login dies before it took over', () => {
    const book = new PresenceBook<string>();
    book.loggedIn('ac-0001', 'old');
    book.connected('ac-0001', 'old');
    book.loggedIn('ac-0001', 'new');
    expect(book.disconnected('ac-0001', 'new')).toBe('unchanged');
    expect(book.isOnline('ac-0001')).toBe(true);
    expect(book.disconnected('ac-0001', 'old')).toBe('offline');
  });

  it('goes offline when the old connection was kicked and the newer one died before it was ready', () => {
    const book = new PresenceBook<string>();
    book.loggedIn('ac-0001', 'old');
    book.connected('ac-0001', 'old');
    book.loggedIn('ac-0001', 'new');
    expect(book.disconnected('ac-0001', 'old')).toBe('unchanged');
    expect(book.disconnected('ac-0001', 'new')).toBe('offline');
  });
});
