import type { Role } from './access.ts';

/** The console's sections per role. Pages of the next iterations (trends, tickets, dispatch, parts, AMC) join here. */
export interface NavItem {
  href: string;
  label: string;
}

const plannerNav: NavItem[] = [
  { href: '/', label: 'Fleet overview' },
  { href: '/risks', label: 'Risk list' },
  { href: '/devices', label: 'Devices' },
];

export const navByRole: Readonly<Record<Role, NavItem[]>> = {
  admin: plannerNav,
  planner: plannerNav,
  technician: [{ href: '/tech', label: 'My jobs' }],
  customer: [{ href: '/my', label: 'My devices' }],
};

export function isCurrent(href: string, pathname: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}
