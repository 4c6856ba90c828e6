import { type DeviceModel, type StockLocationKind, ValidationError } from '@aftercare/core';
import type { Actor } from '../principal.ts';

/*
 * The rules for a part fitted on a job, as plain functions: the part must be one the catalogue lists
 * for the device's model, a technician takes loose stock only from their own van or from a depot or
 * warehouse, and a part whose defective unit goes back to the manufacturer is recorded with the
 * serial of the unit taken out (what ties the defective unit returned to the job: the guard against
 * parts fraud).
 */

/** What the rules need of a catalogue part. */
export interface FittedPart {
  sku: string;
  model: DeviceModel;
  returnRequired: boolean;
}

/** What the rules need of the stock location a part is taken from. */
export interface PartSource {
  id: string;
  kind: StockLocationKind;
  technicianId: string | null;
}

/** Refuses, naming `field`, a part the catalogue lists for another device model. */
export function assertPartFitsModel(
  part: FittedPart,
  deviceModel: DeviceModel,
  field: 'sku' | 'reservationId',
): void {
  if (part.model === deviceModel) return;
  throw new ValidationError(
    `${field}: ${part.sku} is a ${part.model} part; it does not fit this job's ${deviceModel}`,
  );
}

/**
 * A technician takes unreserved stock from their own van, or from a depot or warehouse they picked it
 * up at; never from another technician's van (that stock is theirs to fit, or the office's to move).
 * Planners, admins and the system record on someone's behalf, from anywhere.
 */
export function assertMayTakeFrom(source: PartSource, actor: Actor): void {
  if (actor.role !== 'technician' || source.kind !== 'van') return;
  if (source.technicianId !== null && source.technicianId === actor.technicianId) return;
  const whose = source.technicianId === null ? 'a van no technician drives' : `${source.technicianId}'s van`;
  throw new ValidationError(
    `locationId: ${source.id} is ${whose}, not yours; take the part from your own van or a depot, or ask the office to reserve it for this job`,
  );
}

/** Refuses a part whose defective unit must go back to the manufacturer when no removed serial is given. */
export function assertRemovedSerial(part: FittedPart, removedSerial: string | undefined): void {
  if (!part.returnRequired || (removedSerial !== undefined && removedSerial.trim() !== '')) return;
  throw new ValidationError(
    `removedSerial: the defective ${part.sku} goes back to the manufacturer; give the serial of the part taken out`,
  );
}
