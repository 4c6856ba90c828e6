/**
 * Filtering and ordering of the risk list, driven by the page's query string so a filtered, sorted
 * list is a link a planner can share. Pure: the server applies it before anything is sent.
 */

export interface RiskTableRow {
  deviceId: string;
  model: string;
  modelLabel: string;
  component: string;
  componentLabel: string;
  failureModeLabel: string;
  pFail: number;
  daysLeft: number | null;
}

export const sortKeys = ['p', 'days', 'device', 'model', 'component'] as const;
export type SortKey = (typeof sortKeys)[number];
export type SortDir = 'asc' | 'desc';

export const minOptions = [
  { value: 0, label: 'all scores' },
  { value: 0.2, label: '≥ 20 % (watch)' },
  { value: 0.5, label: '≥ 50 % (at risk)' },
  { value: 0.8, label: '≥ 80 % (critical)' },
] as const;

export interface RiskFilter {
  model: string | null;
  component: string | null;
  min: number;
  q: string;
  sort: SortKey;
  dir: SortDir;
  page: number;
}

/** What each column sorts by first when clicked. */
const naturalDir: Record<SortKey, SortDir> = {
  p: 'desc',
  days: 'asc',
  device: 'asc',
  model: 'asc',
  component: 'asc',
};

export function readRiskFilter(params: URLSearchParams): RiskFilter {
  const min = Number(params.get('min'));
  const sort = params.get('sort');
  const dir = params.get('dir');
  const page = Number(params.get('page'));
  const sortKey: SortKey = sortKeys.includes(sort as SortKey) ? (sort as SortKey) : 'p';
  return {
    model: params.get('model') || null,
    component: params.get('component') || null,
    min: params.has('min') && minOptions.some((o) => o.value === min) ? min : 0.5,
    q: (params.get('q') ?? '').trim().slice(0, 64),
    sort: sortKey,
    dir: dir === 'asc' || dir === 'desc' ? dir : naturalDir[sortKey],
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

export function filterRisks<T extends RiskTableRow>(rows: readonly T[], f: RiskFilter): T[] {
  const q = f.q.toLowerCase();
  return rows.filter(
    (r) =>
      r.pFail >= f.min &&
      (f.model === null || r.model === f.model) &&
      (f.component === null || r.component === f.component) &&
      (q === '' || r.deviceId.toLowerCase().includes(q)),
  );
}

/** Days left: sooner first, "beyond the horizon" (null) last whichever way. */
export function sortRisks<T extends RiskTableRow>(rows: T[], key: SortKey, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  const tie = (a: T, b: T) => b.pFail - a.pFail || a.deviceId.localeCompare(b.deviceId);
  const compare: Record<SortKey, (a: T, b: T) => number> = {
    p: (a, b) => sign * (a.pFail - b.pFail) || a.deviceId.localeCompare(b.deviceId),
    days: (a, b) => {
      if (a.daysLeft === null || b.daysLeft === null)
        return a.daysLeft === b.daysLeft ? tie(a, b) : a.daysLeft === null ? 1 : -1;
      return sign * (a.daysLeft - b.daysLeft) || tie(a, b);
    },
    device: (a, b) => sign * a.deviceId.localeCompare(b.deviceId) || tie(a, b),
    model: (a, b) => sign * a.modelLabel.localeCompare(b.modelLabel) || tie(a, b),
    component: (a, b) => sign * a.componentLabel.localeCompare(b.componentLabel) || tie(a, b),
  };
  return rows.sort(compare[key]);
}

/** The query string after clicking a column: the same column flips, another starts at its natural order. */
export function sortHref(params: URLSearchParams, f: RiskFilter, key: SortKey): string {
  const next = new URLSearchParams(params);
  const dir: SortDir = f.sort === key ? (f.dir === 'asc' ? 'desc' : 'asc') : naturalDir[key];
  next.set('sort', key);
  next.set('dir', dir);
  next.delete('page');
  return `?${next.toString()}`;
}
