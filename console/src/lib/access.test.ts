import { describe, expect, it } from 'vitest';
import { homeOf, mayOpen, pageFor, safeRedirectTarget } from './access.ts';

describe('mayOpen', () => {
  it('lets planners and admins open the planner pages but not the technician and customer areas', () => {
    for (const role of ['planner', 'admin'] as const) {
      expect(mayOpen(role, '/')).toBe(true);
      expect(mayOpen(role, '/risks')).toBe(true);
      expect(mayOpen(role, '/devices/sim-ac-00001')).toBe(true);
      expect(mayOpen(role, '/tech')).toBe(false);
      expect(mayOpen(role, '/my/devices/x')).toBe(false);
    }
  });

  it('keeps a technician to /tech and a customer to /my', () => {
    expect(mayOpen('technician', '/tech')).toBe(true);
    expect(mayOpen('technician', '/tech/jobs/1')).toBe(true);
    expect(mayOpen('technician', '/')).toBe(false);
    expect(mayOpen('technician', '/risks')).toBe(false);
    expect(mayOpen('customer', '/my')).toBe(true);
    expect(mayOpen('customer', '/my/devices/sim-ac-00001')).toBe(true);
    expect(mayOpen('customer', '/devices/sim-ac-00001')).toBe(false);
    expect(mayOpen('customer', '/mystery')).toBe(false);
  });

  it('lets everyone sign in and out, and open their account', () => {
    for (const role of ['planner', 'admin', 'technician', 'customer'] as const) {
      expect(mayOpen(role, '/login')).toBe(true);
      expect(mayOpen(role, '/logout')).toBe(true);
      expect(mayOpen(role, '/account')).toBe(true);
    }
  });
});

describe('safeRedirectTarget', () => {
  it('returns to the page asked for when the role may open it', () => {
    expect(safeRedirectTarget('/risks?model=split-ac', 'planner')).toBe('/risks?model=split-ac');
  });

  it('never leaves the console: other origins and protocol-relative paths go home', () => {
    expect(safeRedirectTarget('https://evil.example/', 'planner')).toBe('/');
    expect(safeRedirectTarget('//evil.example/', 'planner')).toBe('/');
    expect(safeRedirectTarget('/\\evil.example/', 'planner')).toBe('/');
  });

  it('sends a role to its home instead of a page that is not its own, or back to login', () => {
    expect(safeRedirectTarget('/risks', 'customer')).toBe(homeOf('customer'));
    expect(safeRedirectTarget('/login', 'technician')).toBe('/tech');
    expect(safeRedirectTarget(null, 'planner')).toBe('/');
  });
});

describe('pageFor', () => {
  it('opens a link to another area as the same record in the person’s own area', () => {
    expect(pageFor('technician', '/tickets/t-42')).toBe('/tech/t-42');
    expect(pageFor('customer', '/devices/sim-ac-00007')).toBe('/my/devices/sim-ac-00007');
    // The customer follows a ticket on its device's page, found through the ticket.
    expect(pageFor('customer', '/tickets/t-42')).toBe('/my/tickets/t-42');
    expect(pageFor('customer', '/tech/t-42')).toBe('/my/tickets/t-42');
    expect(pageFor('planner', '/tech/t-42')).toBe('/tickets/t-42');
    expect(pageFor('admin', '/my/devices/sim-ac-00007')).toBe('/devices/sim-ac-00007');
    expect(pageFor('planner', '/my/tickets/t-42')).toBe('/tickets/t-42');
    expect(pageFor('technician', '/my/tickets/t-42')).toBe('/tech/t-42');
  });

  it('sends anything else to the person’s home', () => {
    expect(pageFor('technician', '/risks')).toBe('/tech');
    expect(pageFor('technician', '/tickets/t-42/technician-day')).toBe('/tech');
    expect(pageFor('customer', '/tickets')).toBe('/my');
    expect(pageFor('customer', '/tickets/t-42/edit')).toBe('/my');
    expect(pageFor('planner', '/my')).toBe('/');
    expect(pageFor('planner', '/tech/t-42/window')).toBe('/');
  });
});
