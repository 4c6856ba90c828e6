import { SvelteMap } from 'svelte/reactivity';
import { invalidate } from '$app/navigation';
import { navigating } from '$app/state';
import { ticketsDependency } from './live-keys.ts';

/**
 * Live updates in the browser: one EventSource per open page on the console's own proxy of the
 * service's event stream (`/live`, `/tech/live`, `/my/live`; the token stays on the server). A ticket
 * change reloads the data of every load function that declared `depends(ticketsDependency)`, a few
 * hundred milliseconds after the last change of a burst; a reconnection reloads once too, for the
 * changes missed while away.
 */

export { ticketsDependency };

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** The part of the service's `ticket.changed` event the pages use. */
export interface TicketChange {
  ticketId: string;
  action: string;
  status: string;
  previousStatus: string | null;
  at: number;
}

const refreshDelayMs = 400;
const firstRetryMs = 2_000;
const maxRetryMs = 60_000;
/** Kept open this long after the last page let go, so that moving between pages keeps one connection. */
const lingerMs = 1_500;

class LiveConnection {
  state: LiveState = $state('connecting');
  /** Ticket id → when its last change arrived: the pages mark those rows as just changed. */
  readonly changed = new SvelteMap<string, number>();
  #source: EventSource | null = null;
  #users = 0;
  #retryMs = firstRetryMs;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #linger: ReturnType<typeof setTimeout> | undefined;
  #refresh: ReturnType<typeof setTimeout> | undefined;
  #missedSomething = false;
  readonly #listeners = new Set<(change: TicketChange) => void>();

  constructor(readonly endpoint: string) {}

  acquire(listener?: (change: TicketChange) => void): () => void {
    if (listener) this.#listeners.add(listener);
    clearTimeout(this.#linger);
    this.#users += 1;
    if (!this.#source && this.#retry === undefined) this.#open();
    return () => {
      if (listener) this.#listeners.delete(listener);
      this.#users -= 1;
      if (this.#users === 0) this.#linger = setTimeout(() => this.#close(), lingerMs);
    };
  }

  #open(): void {
    this.#retry = undefined;
    const source = new EventSource(this.endpoint);
    this.#source = source;
    source.onopen = () => {
      this.state = 'live';
      this.#retryMs = firstRetryMs;
      if (this.#missedSomething) this.#scheduleRefresh();
      this.#missedSomething = false;
    };
    source.addEventListener('ticket.changed', (event) => {
      const change = parseChange((event as MessageEvent<string>).data);
      if (!change) return;
      this.changed.set(change.ticketId, Date.now());
      for (const listener of this.#listeners) listener(change);
      this.#scheduleRefresh();
    });
    source.onerror = () => {
      this.#missedSomething = true;
      this.state = 'reconnecting';
      // EventSource retries a dropped connection itself; one it refused (an error status) stays closed.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        this.#source = null;
        this.#retry = setTimeout(() => this.#open(), this.#retryMs);
        this.#retryMs = Math.min(maxRetryMs, this.#retryMs * 2);
      }
    };
  }

  #close(): void {
    clearTimeout(this.#retry);
    clearTimeout(this.#refresh);
    this.#retry = undefined;
    this.#source?.close();
    this.#source = null;
    this.state = 'connecting';
  }

  #scheduleRefresh(): void {
    clearTimeout(this.#refresh);
    this.#refresh = setTimeout(() => {
      // A reload now would cancel a navigation under way (a tap on a slow phone would be lost):
      // it waits for the navigation to land, then reloads what the new page shows.
      if (navigating.to !== null) this.#scheduleRefresh();
      else void invalidate(ticketsDependency);
    }, refreshDelayMs);
  }
}

function parseChange(data: string): TicketChange | null {
  try {
    const event = JSON.parse(data) as Partial<TicketChange>;
    if (typeof event.ticketId !== 'string' || typeof event.status !== 'string') return null;
    return {
      ticketId: event.ticketId,
      action: typeof event.action === 'string' ? event.action : 'changed',
      status: event.status,
      previousStatus: typeof event.previousStatus === 'string' ? event.previousStatus : null,
      at: typeof event.at === 'number' ? event.at : Date.now(),
    };
  } catch {
    return null;
  }
}

const connections = new Map<string, LiveConnection>();

/** The console's proxy of the event stream for a role: each role's pages live under their own path. */
export function liveEndpointOf(role: string): string {
  if (role === 'technician') return '/tech/live';
  if (role === 'customer') return '/my/live';
  return '/live';
}

/**
 * Subscribes the calling component to live ticket changes while it is mounted (call it during the
 * component's initialisation). Returns the connection, whose `state` and `changed` are reactive.
 */
export function useLiveTickets(endpoint: string, onChange?: (change: TicketChange) => void): LiveConnection {
  let connection = connections.get(endpoint);
  if (!connection) {
    connection = new LiveConnection(endpoint);
    connections.set(endpoint, connection);
  }
  const live = connection;
  $effect(() => live.acquire(onChange));
  return live;
}

export type { LiveConnection };
