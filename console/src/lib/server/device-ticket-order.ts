/** Open tickets first (oldest first: the one waiting longest), then the rest, newest first. */
export function orderDeviceTickets<T extends { open: boolean; createdAt: number }>(tickets: T[]): T[] {
  const open = tickets.filter((t) => t.open).sort((a, b) => a.createdAt - b.createdAt);
  const rest = tickets.filter((t) => !t.open).sort((a, b) => b.createdAt - a.createdAt);
  return [...open, ...rest];
}
