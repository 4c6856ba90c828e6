import { catalog, type DeviceModel, deviceModels, type Skill } from '@aftercare/core';

/**
 * The spare parts of the catalogue, one record per SKU: which model, failure modes and components it
 * fixes, a demo list price and whether the replaced part must be returned. The class is derived from the
 * repair time (a 4-hour compressor swap is a major part; a 30-minute filter change a consumable), which is
 * what drives how much of it depots and vans stock and how often it fails.
 */

export type PartClass = 'consumable' | 'component' | 'major';

export interface SparePart {
  sku: string;
  model: DeviceModel;
  failureModes: string[];
  components: string[];
  partClass: PartClass;
  /** The skill of the repair that fits it. */
  skill: Skill;
  /** Demo list price, in the region's currency (INR for the default metro). */
  price: number;
  /** Defective-part return: the technician brings the old part back (how manufacturers stop parts fraud). */
  returnRequired: boolean;
  repairMinutes: number;
}

export function partClassFor(repairMinutes: number): PartClass {
  if (repairMinutes >= 150) return 'major';
  if (repairMinutes <= 45) return 'consumable';
  return 'component';
}

const basePrice: Readonly<Record<PartClass, number>> = { consumable: 350, component: 1800, major: 9500 };

export function spareParts(): SparePart[] {
  const bySku = new Map<string, SparePart>();
  for (const model of deviceModels) {
    for (const mode of catalog[model].failureModes) {
      if (!mode.part) continue;
      const existing = bySku.get(mode.part);
      if (existing) {
        existing.failureModes.push(mode.id);
        if (!existing.components.includes(mode.component)) existing.components.push(mode.component);
        continue;
      }
      const partClass = partClassFor(mode.repairMinutes);
      bySku.set(mode.part, {
        sku: mode.part,
        model,
        failureModes: [mode.id],
        components: [mode.component],
        partClass,
        skill: mode.skill,
        price: basePrice[partClass] + mode.repairMinutes * (partClass === 'major' ? 20 : 8),
        returnRequired: partClass !== 'consumable',
        repairMinutes: mode.repairMinutes,
      });
    }
  }
  return [...bySku.values()];
}
