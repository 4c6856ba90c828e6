import type uPlot from 'uplot';
import { clockOf, formatDay, formatMonth, formatTime, wallClockDate } from '$lib/format.ts';

/**
 * The look shared by every uPlot chart of the console. uPlot draws on a canvas, which cannot read
 * CSS custom properties, so the colours of app.css are repeated here.
 */
export const chartColours = {
  text: '#4f5b6b',
  grid: '#e7eaef',
  axis: '#c8ced8',
  mean: '#2356b8',
  /** Where a ticket of the device was opened, on the risk chart. */
  ticket: '#4f5b6b',
  band: 'rgba(35, 86, 184, 0.13)',
  edge: 'rgba(35, 86, 184, 0.35)',
  healthy: 'rgba(46, 125, 91, 0.08)',
  healthyEdge: 'rgba(46, 125, 91, 0.35)',
};

/** Distinct, colour-blind-friendly line colours for the components of one device (Okabe–Ito). */
export const componentPalette = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#000000'];

/** Y axes of one width on every chart, so stacked charts share one x position per time. */
export const yAxisWidth = 58;

const font = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/**
 * Tick labels in the console's own date style and display time zone (lib/format.ts): "14:00",
 * "19 Nov" at midnight, "Nov 2026" for months.
 */
export function timeTickLabel(ts: number, incrementMs: number): string {
  if (incrementMs >= 28 * 86_400_000) return formatMonth(ts);
  const { hour, minute } = clockOf(ts);
  if (incrementMs >= 86_400_000 || (hour === 0 && minute === 0)) return formatDay(ts);
  return formatTime(ts);
}

/**
 * uPlot's `tzDate` for charts with `ms: 1` (what uPlot.tzDate does, without loading uPlot on the
 * server): ticks fall on whole hours and midnights of the display time zone, not the browser's.
 */
export const zonedDate: (ts: number) => Date = wallClockDate;

export function timeAxis(): uPlot.Axis {
  return {
    stroke: chartColours.text,
    font,
    values: (_u, splits, _axis, _space, incr) => splits.map((ts) => timeTickLabel(ts, incr)),
    grid: { stroke: chartColours.grid, width: 1 },
    ticks: { stroke: chartColours.axis, width: 1, size: 4 },
  };
}

export function valueAxis(format: (v: number) => string, label?: string): uPlot.Axis {
  return {
    stroke: chartColours.text,
    font,
    size: yAxisWidth,
    gap: 4,
    grid: { stroke: chartColours.grid, width: 1 },
    ticks: { show: false },
    values: (_u, values) => values.map((v) => (v === null ? '' : format(v))),
    ...(label ? { label, labelSize: 14, labelFont: font } : {}),
  };
}
