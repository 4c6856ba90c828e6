import { ValidationError } from '@aftercare/core';
import type { ServiceDatabase } from '../db/database.ts';

/**
 * The customer or technician a record names must exist: an account or token confined to one that does
 * not would see nothing and tell nobody why, and a device's tickets and contracts hang on its owner.
 */
export async function assertScopeExists(
  db: ServiceDatabase,
  scope: { customerId?: string | null | undefined; technicianId?: string | null | undefined },
): Promise<void> {
  if (scope.customerId) {
    const customer = await db
      .selectFrom('customers')
      .select('id')
      .where('id', '=', scope.customerId)
      .executeTakeFirst();
    if (!customer) throw new ValidationError(`customerId: there is no customer ${scope.customerId}`);
  }
  if (scope.technicianId) {
    const technician = await db
      .selectFrom('technicians')
      .select('id')
      .where('id', '=', scope.technicianId)
      .executeTakeFirst();
    if (!technician) throw new ValidationError(`technicianId: there is no technician ${scope.technicianId}`);
  }
}
