import { chennaiMetro, type MetroRegion, mixSeed } from '@aftercare/core';
import { streams } from './random.ts';

/** A metro region with the weather of its place: where the fleet lives, its local time and its climate. */
export interface Region extends MetroRegion {
  climate: {
    meanC: number;
    seasonalAmplitudeC: number;
    /** Day of the year (0-based) when the seasonal curve peaks. */
    hottestDayOfYear: number;
    diurnalAmplitudeC: number;
    warmestHour: number;
    /** Spread of the day-to-day weather anomaly shared by every device in the region. */
    weatherSdC: number;
  };
}

/** Chennai (core's `chennaiMetro`) with its climate: air conditioners run most of the year. */
export const defaultRegion: Region = {
  ...chennaiMetro,
  climate: {
    meanC: 29,
    seasonalAmplitudeC: 3.5,
    hottestDayOfYear: 145,
    diurnalAmplitudeC: 4.5,
    warmestHour: 15,
    weatherSdC: 1.6,
  },
};

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const YEAR_MS = 365.25 * DAY_MS;
const DAYS_PER_YEAR = 365.2425;

/** Local calendar position of a timestamp, without Date objects (this runs per sample). */
export interface LocalTime {
  /** Local days since 1970-01-01. */
  day: number;
  /** Fractional local hour, 0 ≤ hour < 24. */
  hour: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  dayOfYear: number;
}

export function localTime(ts: number, region: Region): LocalTime {
  const local = ts + region.utcOffsetMin * 60_000;
  const day = Math.floor(local / DAY_MS);
  return {
    day,
    hour: (local - day * DAY_MS) / HOUR_MS,
    weekday: (((day + 4) % 7) + 7) % 7,
    dayOfYear: ((day % DAYS_PER_YEAR) + DAYS_PER_YEAR) % DAYS_PER_YEAR,
  };
}

export function localDay(ts: number, region: Region): number {
  return Math.floor((ts + region.utcOffsetMin * 60_000) / DAY_MS);
}

/** Start of a local day, as epoch ms. */
export function localDayStart(day: number, region: Region): number {
  return day * DAY_MS - region.utcOffsetMin * 60_000;
}

/** A bump of height 1 centred on `centre` hours, wrapping around midnight. */
export function hourBump(hour: number, centre: number, widthH: number): number {
  let d = Math.abs(hour - centre);
  if (d > 12) d = 24 - d;
  return Math.exp(-(d * d) / (2 * widthH * widthH));
}

function dailyAnomaly(weatherSeed: number, day: number): number {
  // Sum of two uniforms: cheap, bell-shaped enough for weather, and stateless.
  const h = mixSeed(weatherSeed, streams.weather, day);
  return ((h & 0xffff) / 0xffff + (h >>> 16) / 0xffff - 1) * 1.7;
}

/**
 * Outdoor temperature of the region (without a device's own microclimate): season, hour of day,
 * and a weather anomaly that drifts smoothly from day to day and is the same for every device.
 */
export function outdoorTempC(region: Region, weatherSeed: number, ts: number): number {
  const c = region.climate;
  const t = localTime(ts, region);
  const seasonal =
    c.seasonalAmplitudeC * Math.cos((2 * Math.PI * (t.dayOfYear - c.hottestDayOfYear)) / DAYS_PER_YEAR);
  const diurnal = c.diurnalAmplitudeC * Math.cos((2 * Math.PI * (t.hour - c.warmestHour)) / 24);
  const f = t.hour / 24;
  const w = 0.5 - 0.5 * Math.cos(Math.PI * f);
  const anomaly = (1 - w) * dailyAnomaly(weatherSeed, t.day) + w * dailyAnomaly(weatherSeed, t.day + 1);
  return c.meanC + seasonal + diurnal + c.weatherSdC * anomaly;
}
