import type { DeviceModel } from '@aftercare/core';
import type { Role } from '../schemas.ts';

/*
 * Row shapes as stored. The first tables (devices, api_tokens) keep timestamps as ISO 8601 text in
 * UTC; everything from migration 0002 on stores instants as epoch milliseconds (bigint), money as
 * integer cents, flags as 0/1 integers and JSON as text, which read the same in SQLite and PostgreSQL.
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
  site_id: string | null;
  warranty_ends_at: number | null;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  token_hash: string;
  role: Role;
  customer_id: string | null;
  technician_id: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface CustomersTable {
  id: string;
  name: string;
  kind: 'residential' | 'business';
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  created_at: number;
  updated_at: number;
}

export interface SitesTable {
  id: string;
  customer_id: string;
  name: string;
  address: string;
  lat: number;
  lon: number;
  created_at: number;
}

export interface ServicePartnersTable {
  id: string;
  name: string;
  kind: 'authorised_centre' | 'franchise' | 'mobile_van';
  lat: number;
  lon: number;
  coverage_radius_km: number;
  created_at: number;
}

export interface TechniciansTable {
  id: string;
  partner_id: string;
  name: string;
  home_lat: number;
  home_lon: number;
  work_days: string;
  work_start: string;
  work_end: string;
  timezone: string;
  daily_capacity_minutes: number;
  status: 'active' | 'unavailable';
  unavailable_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface TechnicianSkillsTable {
  technician_id: string;
  skill: string;
  certificate_id: string | null;
  certified_until: number | null;
}

export interface AmcPlansTable {
  id: string;
  name: string;
  model: DeviceModel | null;
  visits_per_year: number;
  sla_response_hours: number;
  covers_labour: number;
  covers_parts: number;
  price_cents: number;
  created_at: number;
}

export interface ContractsTable {
  id: string;
  customer_id: string;
  plan_id: string;
  starts_at: number;
  ends_at: number;
  renewal_status: 'not_due' | 'due' | 'offered' | 'renewed' | 'declined';
  renews_contract_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface ContractDevicesTable {
  contract_id: string;
  device_id: string;
}

export interface ContractVisitsTable {
  id: string;
  contract_id: string;
  device_id: string;
  due_from: number;
  due_to: number;
  status: 'planned' | 'scheduled' | 'done' | 'missed' | 'cancelled';
  ticket_id: string | null;
  created_at: number;
}

export interface TicketsTable {
  id: string;
  kind: 'predictive' | 'corrective' | 'amc_visit' | 'installation';
  status:
    | 'open'
    | 'scheduled'
    | 'dispatched'
    | 'on_site'
    | 'resolved'
    | 'verified'
    | 'flagged_for_review'
    | 'closed'
    | 'cancelled';
  version: number;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  device_id: string;
  customer_id: string | null;
  site_id: string | null;
  title: string;
  description: string;
  component: string | null;
  failure_mode: string | null;
  required_skill: string | null;
  evidence: string | null;
  troubleshooting_steps: string;
  appointment_start: number | null;
  appointment_end: number | null;
  technician_id: string | null;
  sla_due_at: number;
  coverage: 'in_warranty' | 'amc' | 'chargeable';
  contract_id: string | null;
  open_key: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
  closed_at: number | null;
}

export interface TicketAuditTable {
  id: string;
  ticket_id: string;
  version: number;
  at: number;
  actor: string;
  actor_role: string;
  from_status: TicketsTable['status'] | null;
  to_status: TicketsTable['status'];
  action: string;
  reason: string | null;
  data: string | null;
}

export interface TicketNotesTable {
  id: string;
  ticket_id: string;
  at: number;
  author: string;
  author_role: string;
  text: string;
}

export interface PartsTable {
  sku: string;
  model: DeviceModel;
  name: string;
  price_cents: number;
  return_required: number;
  consumable: number;
  updated_at: number;
}

export interface PartFixesTable {
  sku: string;
  failure_mode: string;
  component: string;
}

export interface StockLocationsTable {
  id: string;
  name: string;
  kind: 'central_warehouse' | 'partner_depot' | 'van';
  partner_id: string | null;
  technician_id: string | null;
  lat: number;
  lon: number;
  created_at: number;
}

export interface StockLevelsTable {
  location_id: string;
  sku: string;
  on_hand: number;
  reserved: number;
  updated_at: number;
}

export interface StockReservationsTable {
  id: string;
  ticket_id: string;
  location_id: string;
  sku: string;
  quantity: number;
  status: 'reserved' | 'consumed' | 'released';
  created_at: number;
  updated_at: number;
}

export interface StockTransfersTable {
  id: string;
  from_location_id: string;
  to_location_id: string;
  sku: string;
  quantity: number;
  ticket_id: string | null;
  status: 'in_transit' | 'arrived' | 'cancelled';
  created_at: number;
  eta_at: number;
  arrived_at: number | null;
}

export interface TicketPartsUsedTable {
  id: string;
  ticket_id: string;
  sku: string;
  quantity: number;
  location_id: string;
  reservation_id: string | null;
  removed_serial: string | null;
  recorded_by: string;
  at: number;
}

export interface PartReturnsTable {
  id: string;
  ticket_id: string;
  sku: string;
  serial: string | null;
  location_id: string;
  received_at: number;
}

export interface FeedbackTable {
  id: string;
  ticket_id: string;
  customer_id: string;
  csat: number;
  nps: number;
  comment: string | null;
  complaint: number;
  complaint_resolved_at: number | null;
  /** What was done about the complaint, in the words of whoever closed it. */
  complaint_resolution: string | null;
  /** Who closed it, as the audit log names actors (`user:<id>`, `token:<id>`, `admin`, `system:<part>`). */
  complaint_resolved_by: string | null;
  created_at: number;
}

export interface WarrantyClaimsTable {
  id: string;
  ticket_id: string;
  device_id: string;
  coverage: 'in_warranty' | 'amc';
  contract_id: string | null;
  parts_cents: number;
  labour_cents: number;
  status: 'submitted' | 'approved' | 'rejected';
  decision_note: string | null;
  created_at: number;
  decided_at: number | null;
}

export interface TroubleshootingGuidesTable {
  model: DeviceModel;
  failure_mode: string;
  title: string;
  skill: string;
  steps: string;
  remote_fix: string | null;
  repair_minutes: number;
  updated_at: number;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string | null;
  password_hash: string;
  role: Role;
  customer_id: string | null;
  technician_id: string | null;
  created_at: number;
  disabled_at: number | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
}

/** A command sent to a device for a ticket (remote troubleshooting), and the device's answer. */
export interface TicketCommandsTable {
  id: string;
  ticket_id: string;
  device_id: string;
  command: string;
  /** JSON object, or null. */
  args: string | null;
  sent_at: number;
  sent_by: string;
  status: 'sent' | 'answered' | 'failed' | 'timed_out';
  answered_at: number | null;
  answer_code: string | null;
  answer_message: string | null;
}

export interface ServiceTables {
  devices: DevicesTable;
  api_tokens: ApiTokensTable;
  customers: CustomersTable;
  sites: SitesTable;
  service_partners: ServicePartnersTable;
  technicians: TechniciansTable;
  technician_skills: TechnicianSkillsTable;
  amc_plans: AmcPlansTable;
  contracts: ContractsTable;
  contract_devices: ContractDevicesTable;
  contract_visits: ContractVisitsTable;
  tickets: TicketsTable;
  ticket_audit: TicketAuditTable;
  ticket_notes: TicketNotesTable;
  parts: PartsTable;
  part_fixes: PartFixesTable;
  stock_locations: StockLocationsTable;
  stock_levels: StockLevelsTable;
  stock_reservations: StockReservationsTable;
  stock_transfers: StockTransfersTable;
  ticket_parts_used: TicketPartsUsedTable;
  part_returns: PartReturnsTable;
  feedback: FeedbackTable;
  warranty_claims: WarrantyClaimsTable;
  troubleshooting_guides: TroubleshootingGuidesTable;
  users: UsersTable;
  sessions: SessionsTable;
  ticket_commands: TicketCommandsTable;
}
