import { apiFor } from '$lib/server/api.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import {
  componentName,
  insightFilterNotFound,
  loadTrends,
  modelChoices,
  modelName,
  monthMid,
  monthName,
  monthToDate,
  periodOptions,
  readInsightFilter,
} from '$lib/server/insights.ts';
import type { PageServerLoad } from './$types';

/** Failure trends: per month, predicted against actual, caught in time; per model and component. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const api = apiFor(locals);
  const filter = readInsightFilter(url.searchParams);
  const base = { title: 'Failure trends', filter, periods: periodOptions, modelOptions: modelChoices() };
  try {
    const trends = await loadTrends(api, filter);
    if (trends === null) return { ...base, available: false as const };
    const months = trends.months;
    const total = (key: 'failures' | 'caught' | 'predicted' | 'falseAlarms' | 'fixedRemotely') =>
      months.reduce((s, m) => s + m[key], 0);
    const failures = total('failures');
    const caught = total('caught');
    // Rows of the heat table: model × component, a failure rate per 100 devices of that model per month.
    const rows = new Map<
      string,
      {
        model: string;
        component: string;
        label: string;
        sub: string;
        cells: (number | null)[];
        counts: number[];
        total: number;
      }
    >();
    for (const c of trends.cells) {
      const key = `${c.model}/${c.component}`;
      let row = rows.get(key);
      if (!row) {
        row = {
          model: c.model,
          component: c.component,
          label: componentName(c.component),
          sub: modelName(c.model),
          cells: months.map(() => 0),
          counts: months.map(() => 0),
          total: 0,
        };
        rows.set(key, row);
      }
      const i = months.findIndex((m) => m.month === c.month);
      if (i < 0) continue;
      const n = c.failures + c.caught;
      const devices = months[i]!.devicesByModel[c.model] ?? 0;
      row.counts[i] = (row.counts[i] ?? 0) + n;
      row.cells[i] = devices === 0 ? null : ((row.counts[i] ?? 0) / devices) * 100;
      row.total += n;
    }
    return {
      ...base,
      available: true as const,
      regions: trends.regions,
      partners: trends.partners,
      totals: {
        failures,
        caught,
        predicted: total('predicted'),
        falseAlarms: total('falseAlarms'),
        // Of the failures caught, those a remote command cleared: no technician travelled.
        fixedRemotely: total('fixedRemotely'),
        caughtShare: caught + failures === 0 ? null : caught / (caught + failures),
        devices: months[months.length - 1]?.devices ?? 0,
      },
      months: months.map((m) => ({
        ...m,
        label: monthName(m.month),
        mid: monthMid(m.month),
        // The current month counts only the days so far: said so, it does not read as a quiet month.
        toDate: monthToDate(m.month, trends.filter.to),
      })),
      models: trends.models.map((m) => ({ ...m, label: modelName(m.model) })),
      heat: [...rows.values()]
        .filter((r) => r.total > 0)
        .sort((a, b) => a.sub.localeCompare(b.sub) || b.total - a.total),
    };
  } catch (err) {
    rethrowForPage(err, insightFilterNotFound(filter));
  }
};
