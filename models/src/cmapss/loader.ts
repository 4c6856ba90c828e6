import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const SENSOR_COUNT = 21;
export const SENSOR_NAMES = Array.from({ length: SENSOR_COUNT }, (_, i) => `s${i + 1}`);

/** One engine's record for one operating cycle. */
export interface CmapssRow {
  unit: number;
  cycle: number;
  settings: [number, number, number];
  /** sensors[i] is sensor s(i+1), as numbered in NASA's readme. */
  sensors: number[];
}

/** One engine's rows in cycle order. */
export interface CmapssUnit {
  unit: number;
  rows: CmapssRow[];
}

export interface CmapssSubset {
  subset: string;
  train: CmapssUnit[];
  test: CmapssUnit[];
  /** True RUL after the last test cycle, in test unit order. */
  testRul: number[];
}

const SUBSET = /^FD\d{3}$/;

/** Parses a train_/test_ file: space separated, trailing spaces, unit, cycle, 3 settings, 21 sensors. */
export function parseCmapssRows(text: string, source = 'input'): CmapssRow[] {
  const rows: CmapssRow[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const v = line.split(/\s+/).map(Number);
    if (v.length !== 5 + SENSOR_COUNT || v.some((x) => !Number.isFinite(x))) {
      throw new Error(`${source}:${i + 1}: expected ${5 + SENSOR_COUNT} numbers, got "${line.slice(0, 60)}"`);
    }
    rows.push({ unit: v[0]!, cycle: v[1]!, settings: [v[2]!, v[3]!, v[4]!], sensors: v.slice(5) });
  }
  return rows;
}

/** Groups rows by unit, in order of first appearance, each unit's rows sorted by cycle. */
export function groupByUnit(rows: CmapssRow[]): CmapssUnit[] {
  const byUnit = new Map<number, CmapssRow[]>();
  for (const row of rows) {
    const list = byUnit.get(row.unit) ?? [];
    list.push(row);
    byUnit.set(row.unit, list);
  }
  return [...byUnit].map(([unit, list]) => ({ unit, rows: list.sort((a, b) => a.cycle - b.cycle) }));
}

export function parseRul(text: string, source = 'input'): number[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l, i) => {
      const n = Number(l);
      if (!Number.isFinite(n)) throw new Error(`${source}:${i + 1}: expected a number, got "${l}"`);
      return n;
    });
}

/**
 * Reads only train_<subset>.txt: what model selection may look at. Validation draws held-out units
 * from here, so choosing a configuration never touches the test file or its RUL values.
 */
export async function loadCmapssTrain(dir: string, subset: string): Promise<CmapssUnit[]> {
  if (!SUBSET.test(subset)) throw new Error(`subset must look like FD001, got "${subset}"`);
  const file = path.join(dir, `train_${subset}.txt`);
  return groupByUnit(parseCmapssRows(await readFile(file, 'latin1'), file));
}

/** Reads train_/test_/RUL_<subset>.txt from `dir` (any of FD001..FD004). */
export async function loadCmapss(dir: string, subset: string): Promise<CmapssSubset> {
  if (!SUBSET.test(subset)) throw new Error(`subset must look like FD001, got "${subset}"`);
  const read = (prefix: string) => {
    const file = path.join(dir, `${prefix}_${subset}.txt`);
    return readFile(file, 'latin1').then((text) => ({ file, text }));
  };
  const [train, test, rul] = await Promise.all([read('train'), read('test'), read('RUL')]);
  const data: CmapssSubset = {
    subset,
    train: groupByUnit(parseCmapssRows(train.text, train.file)),
    test: groupByUnit(parseCmapssRows(test.text, test.file)),
    testRul: parseRul(rul.text, rul.file),
  };
  if (data.testRul.length !== data.test.length) {
    throw new Error(`${rul.file} has ${data.testRul.length} values for ${data.test.length} test units`);
  }
  return data;
}
