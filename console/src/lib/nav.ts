import type { Role } from './access.ts';

/** The console's sections per role. */
export interface NavItem {
  href: string;
  label: string;
}

const plannerNav: NavItem[] = [
  { href: '/', label: 'Fleet overview' },
  { href: '/risks', label: 'Risk list' },
  { href: '/tickets', label: 'Tickets' },
  { href: '/dispatch', label: 'Dispatch' },
  { href: '/parts', label: 'Parts' },
  { href: '/amc', label: 'AMC' },
  { href: '/devices', label: 'Devices' },
  { href: '/trends', label: 'Failure trends' },
  { href: '/partners', label: 'Partners' },
  { href: '/feedback', label: 'Feedback' },
  { href: '/models', label: 'Models' },
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
