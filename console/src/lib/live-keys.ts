/**
 * The dependency the live module invalidates on every ticket change: load functions whose data shows
 * tickets declare it (`depends(ticketsDependency)`), on the server or in the browser alike.
 */
export const ticketsDependency = 'aftercare:tickets';
