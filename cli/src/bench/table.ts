export interface BenchRow {
  what: string;
  data: string;
  figure: string;
  reference: string;
}

/** A plain-text table that reads well in a terminal and pastes into a note. */
export function formatTable(rows: readonly BenchRow[]): string {
  const headers: BenchRow = {
    what: 'measured',
    data: 'on',
    figure: 'figure',
    reference: 'compared with (same run)',
  };
  const all = [headers, ...rows];
  const width = (key: keyof BenchRow) => Math.max(...all.map((r) => r[key].length));
  const keys: (keyof BenchRow)[] = ['what', 'data', 'figure', 'reference'];
  const line = (r: BenchRow) => `| ${keys.map((k) => r[k].padEnd(width(k))).join(' | ')} |`;
  const rule = `|${keys.map((k) => '-'.repeat(width(k) + 2)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export const fmt = {
  rate: (n: number) =>
    n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(0),
  ms: (n: number) => (n >= 100 ? `${n.toFixed(0)} ms` : `${n.toFixed(1)} ms`),
  mb: (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`,
  pct: (x: number) => `${(x * 100).toFixed(0)}%`,
};
