import { z } from 'zod';
import { metricNameSchema, snakeCaseName } from './ids.ts';
import { describeTime, type ParseResult } from './telemetry.schema.ts';

export const eventTypes = ['error', 'warning', 'info', 'failure', 'command_result'] as const;

/**
 * A device event on `aftercare/{id}/events`: an error code the firmware raised, a failure (the
 * simulator publishes its injected failures as ground truth with `type: "failure"`), or the answer
 * to a remote command.
 */
export const deviceEventSchema = z.strictObject({
  ts: z.union([z.number().int(), z.iso.datetime({ offset: true })]),
  type: z.enum(eventTypes),
  code: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'code is 1–64 characters of letters, digits, "_", "." or "-"'),
  message: z.string().max(500).optional(),
  component: metricNameSchema.optional(),
  failureMode: metricNameSchema.optional(),
  commandId: z.string().max(64).optional(),
  data: z.record(metricNameSchema, z.union([z.number(), z.string().max(200), z.boolean()])).optional(),
});
export type DeviceEventPayload = z.infer<typeof deviceEventSchema>;
export interface DeviceEvent extends Omit<DeviceEventPayload, 'ts'> {
  ts: number;
}

export const maxEventPayloadBytes = 16 * 1024;

export function parseDeviceEvent(
  payload: Uint8Array | string,
  now: number,
  maxFutureMs = 5 * 60_000,
): ParseResult<DeviceEvent> {
  const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  if (Buffer.byteLength(text) > maxEventPayloadBytes) {
    return { ok: false, reason: 'too_large', detail: `event exceeds ${maxEventPayloadBytes} bytes` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: 'invalid_json', detail: (err as Error).message.slice(0, 200) };
  }
  const parsed = deviceEventSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
      .join('; ');
    return { ok: false, reason: 'invalid_schema', detail };
  }
  const ts = typeof parsed.data.ts === 'number' ? parsed.data.ts : Date.parse(parsed.data.ts);
  if (ts > now + maxFutureMs) {
    return {
      ok: false,
      reason: 'future_timestamp',
      detail: `ts ${describeTime(ts)} is in the future`,
    };
  }
  return { ok: true, value: { ...parsed.data, ts } };
}

/** Retained on `aftercare/{id}/status`; the broker's last will writes `offline`. */
export const deviceStatusSchema = z.enum(['online', 'offline']);
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

/** Downlink on `aftercare/{id}/commands`. */
export const deviceCommandSchema = z.strictObject({
  commandId: z.string().min(1).max(64),
  command: z.string().regex(snakeCaseName),
  args: z.record(z.string(), z.union([z.number(), z.string().max(200), z.boolean()])).optional(),
  ts: z.number().int(),
});
export type DeviceCommand = z.infer<typeof deviceCommandSchema>;
