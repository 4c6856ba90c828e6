import { describe, expect, it } from 'vitest';
import { PresenceTracker } from './presence.ts';

describe('PresenceTracker.applyStatus', () => {
  it('follows the retained online/offline status and refuses anything else', () => {
    const presence = new PresenceTracker();
    expect(presence.applyStatus('ac-1', Buffer.from('online'), 1000)).toBe(true);
    expect(presence.isOnline('ac-1')).toBe(true);
    expect(presence.applyStatus('ac-1', ' offline\n', 2000)).toBe(true);
    expect(presence.isOnline('ac-1')).toBe(false);
    expect(presence.lastSeen('ac-1')).toBe(2000);
    expect(presence.applyStatus('ac-1', 'gone', 3000)).toBe(false);
    expect(presence.lastSeen('ac-1')).toBe(2000);
  });
});
