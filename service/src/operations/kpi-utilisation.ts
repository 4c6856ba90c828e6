import type { WorkingTimeRecord } from '../automation/kpis.ts';
import { DAY_MS, localDayStart, MINUTE_MS } from '../automation/work.ts';
import type { InsightData, InsightTechnician } from './kpi-records.ts';

/*
 * Technician utilisation under the insight filters. Utilisation is how busy people are: minutes on
 * site ÷ minutes of working capacity. Dividing the filtered jobs' minutes by the whole workforce's
 * capacity (as it once did) read a region or a model as idle when it was only small. So a filter
 * chooses whose time counts, and then all of their time on site counts, whatever device it was on:
 * - no filter: every technician;
 * - partner: its technicians;
 * - region: the technicians of the partners that service the region's sites (the rule that gives a
 *   site's AMC visits to a partner), the people a planner would move or hire for that area. Their
 *   time elsewhere counts too: a team that spends half its week outside the region is not half idle;
 * - region and partner: the partner's technicians, if it services the region; else nobody;
 * - device model: none, so utilisation is null (no data), as in the report grouped by model.
 *   Technicians are not split by device model; the workforce's figure shown beside a model's figures
 *   would read as that model's, and a model's share of their time is not a utilisation.
 */

/** The technicians whose time the filters ask about (see above); none under a device model filter. */
export function utilisationWorkforce(data: InsightData): InsightTechnician[] {
  const { model, region } = data.filter;
  if (model !== null) return [];
  // Under a partner filter the records hold its technicians only.
  if (region === null) return data.technicians;
  const serving = new Set(data.devices.map((d) => d.servicedBy));
  return data.technicians.filter((t) => serving.has(t.partnerId));
}

/** Each chosen technician's working days in the period: capacity available, minutes on site worked. */
export function workingTime(data: InsightData, asOf: number): WorkingTimeRecord[] {
  const offset = data.utcOffsetMin;
  const workforce = utilisationWorkforce(data);
  const worked = new Map<string, number>();
  for (const visit of data.onSite) {
    const key = `${visit.technicianId}@${localDayStart(visit.at, offset)}`;
    worked.set(key, (worked.get(key) ?? 0) + visit.minutes);
  }
  const records: WorkingTimeRecord[] = [];
  const last = Math.min(data.filter.to, asOf);
  for (let day = localDayStart(data.filter.from, offset); day < last; day += DAY_MS) {
    const weekday = new Date(day + offset * MINUTE_MS).getUTCDay();
    for (const tech of workforce) {
      if (!tech.workDays.includes(weekday)) continue;
      records.push({
        technicianId: tech.id,
        partnerId: tech.partnerId,
        day,
        availableMinutes: tech.dailyCapacityMinutes,
        workedMinutes: worked.get(`${tech.id}@${day}`) ?? 0,
      });
    }
  }
  return records;
}
