/**
 * Which role may open which console page. Pure, so hooks.server.ts and its tests share one rule:
 * planners and admins see the planner pages, a technician only /tech, a customer only /my.
 */

export const roles = ['admin', 'planner', 'technician', 'customer'] as const;
export type Role = (typeof roles)[number];

/** Pages anyone may open, signed in or not. */
const publicPaths = ['/login'];

const roleAreas: Record<Role, { home: string; only?: string }> = {
  admin: { home: '/' },
  planner: { home: '/' },
  technician: { home: '/tech', only: '/tech' },
  customer: { home: '/my', only: '/my' },
};

/** Paths that belong to one of the narrower roles and are not planner pages. */
const narrowAreas = ['/tech', '/my'];

function within(pathname: string, area: string): boolean {
  return pathname === area || pathname.startsWith(`${area}/`);
}

export function isPublicPath(pathname: string): boolean {
  return publicPaths.some((p) => within(pathname, p));
}

/** Where a role lands after login, and where it is sent when it opens a page that is not its own. */
export function homeOf(role: Role): string {
  return roleAreas[role].home;
}

export function mayOpen(role: Role, pathname: string): boolean {
  // Everyone signed in has an account page (their password) and may sign out.
  if (isPublicPath(pathname) || within(pathname, '/logout') || within(pathname, '/account')) return true;
  const only = roleAreas[role].only;
  if (only) return within(pathname, only);
  return !narrowAreas.some((area) => within(pathname, area));
}

/**
 * Where a page of another area is for this role: a ticket link shared by the office is the
 * technician's job (`/tickets/t1` → `/tech/t1`) and back, a device link the customer's own device page
 * and back; elsewhere, the role's home. The page itself still checks the record is theirs (another's
 * answers "not found").
 */
export function pageFor(role: Role, pathname: string): string {
  const [, area, ...rest] = pathname.split('/');
  const office = role === 'planner' || role === 'admin';
  const mine = area === 'my' ? rest[0] : undefined;
  const [id, more] =
    mine === 'devices' || mine === 'tickets' ? [rest[1], rest.length > 2] : [rest[0], rest.length > 1];
  if (id && !more) {
    if (role === 'technician' && area === 'tickets') return `/tech/${id}`;
    if (role === 'customer' && area === 'devices') return `/my/devices/${id}`;
    if (role === 'customer' && (area === 'tickets' || area === 'tech')) return `/my/tickets/${id}`;
    if (office && area === 'tech') return `/tickets/${id}`;
    if (office && mine === 'devices') return `/devices/${id}`;
    if (office && mine === 'tickets') return `/tickets/${id}`;
    if (role === 'technician' && mine === 'tickets') return `/tech/${id}`;
  }
  return homeOf(role);
}

/**
 * The page to return to after login: a path on this console only (never another origin, never the
 * login page itself), else the role's home.
 */
export function safeRedirectTarget(target: string | null, role: Role): string {
  if (!target?.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return homeOf(role);
  const pathname = target.split(/[?#]/, 1)[0] ?? '/';
  if (isPublicPath(pathname) || !mayOpen(role, pathname)) return homeOf(role);
  return target;
}
