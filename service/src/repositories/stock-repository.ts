import {
  ConflictError,
  type CreateStockLocationBody,
  NotFoundError,
  type Page,
  type Reservation,
  type ReservationStatus,
  type StockLevel,
  type StockLocation,
  type StockLocationKind,
  ValidationError,
} from '@aftercare/core';
import type { Selectable } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import { readPage } from '../db/page-query.ts';
import { newId } from '../db/query-helpers.ts';
import type { StockLevelsTable, StockLocationsTable } from '../db/tables.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import type { EventBus } from '../events/event-bus.ts';
import { type Actor, systemActor } from '../principal.ts';
import {
  addOnHand,
  assertLocation,
  assertLocationAndPart,
  endReservation,
  reserveUnits,
  toReservation,
} from '../stock/stock-operations.ts';
import { activeStatuses } from '../tickets/ticket-lifecycle.ts';
import { assertPartFitsTicket, loadFittedPart } from '../tickets/ticket-parts.ts';
import { applyTicketChange, loadTicket } from '../tickets/ticket-writes.ts';

function toLocation(row: Selectable<StockLocationsTable>): StockLocation {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    partnerId: row.partner_id,
    technicianId: row.technician_id,
    lat: row.lat,
    lon: row.lon,
    createdAt: row.created_at,
  };
}

function toLevel(row: Selectable<StockLevelsTable>): StockLevel {
  return {
    locationId: row.location_id,
    sku: row.sku,
    onHand: row.on_hand,
    reserved: row.reserved,
    available: row.on_hand - row.reserved,
    updatedAt: row.updated_at,
  };
}

/** Where a SKU can be had: each location holding unreserved units of it. */
export interface StockAvailability {
  location: StockLocation;
  level: StockLevel;
}

export interface StockRepositoryOptions {
  clock?: () => number;
  events?: EventBus;
}

/**
 * Stock locations and what they hold, and reservations against tickets (transfers and returns are
 * the TransferRepository's). Every operation is one transaction; those that concern a ticket also
 * append to its audit log and announce the change once committed.
 */
export class StockRepository {
  private readonly clock: () => number;

  constructor(
    private readonly db: ServiceDatabase,
    private readonly options: StockRepositoryOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  async createLocation(input: CreateStockLocationBody): Promise<StockLocation> {
    const row: Selectable<StockLocationsTable> = {
      id: input.id ?? newId(),
      name: input.name,
      kind: input.kind,
      partner_id: input.partnerId ?? null,
      technician_id: input.technicianId ?? null,
      lat: input.lat,
      lon: input.lon,
      created_at: this.clock(),
    };
    if (row.partner_id !== null) {
      const partner = await this.db
        .selectFrom('service_partners')
        .select('id')
        .where('id', '=', row.partner_id)
        .executeTakeFirst();
      if (!partner) throw new ValidationError(`partnerId: there is no partner ${row.partner_id}`);
    }
    if (row.technician_id !== null) {
      const technician = await this.db
        .selectFrom('technicians')
        .select('id')
        .where('id', '=', row.technician_id)
        .executeTakeFirst();
      if (!technician) throw new ValidationError(`technicianId: there is no technician ${row.technician_id}`);
    }
    try {
      await this.db.insertInto('stock_locations').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`stock location ${row.id} already exists`);
      throw err;
    }
    return toLocation(row);
  }

  async getLocation(id: string): Promise<StockLocation | null> {
    const row = await this.db
      .selectFrom('stock_locations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toLocation(row) : null;
  }

  async listLocations(filter: {
    kind?: StockLocationKind | undefined;
    partnerId?: string | undefined;
    limit: number;
    offset: number;
  }): Promise<Page<StockLocation>> {
    let query = this.db.selectFrom('stock_locations');
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    if (filter.partnerId !== undefined) query = query.where('partner_id', '=', filter.partnerId);
    return readPage(query, { by: 'name', direction: 'asc' }, filter, toLocation);
  }

  /** Goods received into a location (a delivery to the warehouse, a restock of a van). */
  async receive(locationId: string, sku: string, quantity: number): Promise<StockLevel> {
    await assertLocationAndPart(this.db, locationId, sku);
    await addOnHand(this.db, locationId, sku, quantity, this.clock());
    return (await this.level(locationId, sku))!;
  }

  async level(locationId: string, sku: string): Promise<StockLevel | null> {
    const row = await this.db
      .selectFrom('stock_levels')
      .selectAll()
      .where('location_id', '=', locationId)
      .where('sku', '=', sku)
      .executeTakeFirst();
    return row ? toLevel(row) : null;
  }

  async stockAt(locationId: string): Promise<StockLevel[]> {
    if ((await this.getLocation(locationId)) === null) throw new NotFoundError('stock location', locationId);
    const rows = await this.db
      .selectFrom('stock_levels')
      .selectAll()
      .where('location_id', '=', locationId)
      .orderBy('sku')
      .execute();
    return rows.map(toLevel);
  }

  /** The stock of every location, by location: one read for the pages that show the whole network. */
  async stockEverywhere(): Promise<Map<string, StockLevel[]>> {
    const rows = await this.db
      .selectFrom('stock_levels')
      .selectAll()
      .orderBy('location_id')
      .orderBy('sku')
      .execute();
    const byLocation = new Map<string, StockLevel[]>();
    for (const row of rows) {
      const levels = byLocation.get(row.location_id) ?? [];
      levels.push(toLevel(row));
      byLocation.set(row.location_id, levels);
    }
    return byLocation;
  }

  /** Every location with at least `minAvailable` unreserved units of the SKU, for the parts planner. */
  async availability(sku: string, minAvailable = 1): Promise<StockAvailability[]> {
    const rows = await this.db
      .selectFrom('stock_levels')
      .innerJoin('stock_locations', 'stock_locations.id', 'stock_levels.location_id')
      .selectAll('stock_levels')
      .select([
        'stock_locations.name',
        'stock_locations.kind',
        'stock_locations.partner_id',
        'stock_locations.technician_id',
        'stock_locations.lat',
        'stock_locations.lon',
        'stock_locations.created_at as location_created_at',
      ])
      .where('stock_levels.sku', '=', sku)
      .where((eb) => eb(eb('stock_levels.on_hand', '-', eb.ref('stock_levels.reserved')), '>=', minAvailable))
      .orderBy('stock_levels.location_id')
      .execute();
    return rows.map((row) => ({
      location: toLocation({
        id: row.location_id,
        name: row.name,
        kind: row.kind,
        partner_id: row.partner_id,
        technician_id: row.technician_id,
        lat: row.lat,
        lon: row.lon,
        created_at: row.location_created_at,
      }),
      level: toLevel(row),
    }));
  }

  /**
   * Reserves `quantity` units of a SKU at a location for a ticket that still has work to do. Stock
   * never goes negative and a unit is never given to two tickets: the reservation is a conditional
   * UPDATE that changes no row when too few units are unreserved (InsufficientStockError, 409). Only
   * a part the catalogue lists for the ticket's device model is reserved for it (400 naming `sku`).
   */
  async reservePart(
    ticketId: string,
    sku: string,
    locationId: string,
    options: { quantity?: number; actor?: Actor } = {},
  ): Promise<Reservation> {
    const quantity = options.quantity ?? 1;
    const actor = options.actor ?? systemActor('automation');
    const now = this.clock();
    const { reservation, event } = await this.db.transaction().execute(async (trx) => {
      const ticket = await loadTicket(trx, ticketId);
      if (!activeStatuses.includes(ticket.status))
        throw new ConflictError(
          `ticket ${ticketId} is ${ticket.status}: parts are reserved only for work still to do`,
        );
      await assertLocation(trx, locationId);
      await assertPartFitsTicket(trx, ticket, await loadFittedPart(trx, sku, 'sku'));
      const reservation = await reserveUnits(trx, { ticketId, sku, locationId, quantity }, now);
      const { event } = await applyTicketChange(
        trx,
        ticket,
        { action: 'part_reserved', data: { reservationId: reservation.id, sku, locationId, quantity } },
        actor,
        now,
      );
      return { reservation, event };
    });
    this.options.events?.publish(event);
    return reservation;
  }

  /** Puts reserved units back on the shelf; releasing twice, or after consumption, is a conflict. */
  async releaseReservation(
    reservationId: string,
    options: { actor?: Actor; reason?: string } = {},
  ): Promise<Reservation> {
    const actor = options.actor ?? systemActor('automation');
    const now = this.clock();
    const { reservation, event } = await this.db.transaction().execute(async (trx) => {
      const reservation = await endReservation(trx, reservationId, 'released', now);
      if (reservation === null) throw new ConflictError(`reservation ${reservationId} is no longer reserved`);
      const ticket = await loadTicket(trx, reservation.ticketId);
      const { event } = await applyTicketChange(
        trx,
        ticket,
        {
          action: 'part_released',
          reason: options.reason,
          data: {
            reservationId,
            sku: reservation.sku,
            locationId: reservation.locationId,
            quantity: reservation.quantity,
          },
        },
        actor,
        now,
      );
      return { reservation, event };
    });
    this.options.events?.publish(event);
    return reservation;
  }

  async getReservation(id: string): Promise<Reservation | null> {
    const row = await this.db
      .selectFrom('stock_reservations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toReservation(row) : null;
  }

  async listReservations(filter: {
    ticketId?: string | undefined;
    locationId?: string | undefined;
    status?: ReservationStatus | undefined;
    limit: number;
    offset: number;
  }): Promise<Page<Reservation>> {
    let query = this.db.selectFrom('stock_reservations');
    if (filter.ticketId !== undefined) query = query.where('ticket_id', '=', filter.ticketId);
    if (filter.locationId !== undefined) query = query.where('location_id', '=', filter.locationId);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    return readPage(query, { by: 'created_at', direction: 'desc' }, filter, toReservation);
  }
}
