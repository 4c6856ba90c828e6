import { NotFoundError, type Technician } from '@aftercare/core';
import { type Principal, technicianScope } from '../principal.ts';
import type { PartnerRepository } from '../repositories/partner-repository.ts';

/**
 * The technician, if this principal may see it: planners and admins any, a technician itself. Anyone
 * else's is "not found", exactly as a missing one, so that ids cannot be probed.
 */
export async function findVisibleTechnician(
  partners: PartnerRepository,
  principal: Principal,
  id: string,
): Promise<Technician> {
  const own = technicianScope(principal);
  const technician = own !== undefined && own !== id ? null : await partners.getTechnician(id);
  if (technician === null) throw new NotFoundError('technician', id);
  return technician;
}
