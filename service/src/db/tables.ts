import type { DeviceModel } from '@aftercare/core';
import type { Role } from '../schemas.ts';

/*
 * Row shapes as stored. Timestamps are ISO 8601 text in UTC (`Date#toISOString`), so they sort as
 * text and read the same in SQLite and PostgreSQL.
 */

export interface DevicesTable {
  id: string;
  model: DeviceModel;
  serial: string | null;
  customer_id: string | null;
  lat: number | null;
  lon: number | null;
  address: string | null;
  installed_at: string | null;
  secret_hash: string;
  created_at: string;
  updated_at: string;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  token_hash: string;
  role: Role;
  customer_id: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface ServiceTables {
  devices: DevicesTable;
  api_tokens: ApiTokensTable;
}
