import { z } from 'zod';
import { epochMsSchema, recordIdSchema } from './common.schema.ts';

export const roles = ['admin', 'planner', 'technician', 'customer'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** Emails are compared lower-cased: one person, one account. */
export const emailSchema = z
  .email()
  .max(254)
  .transform((v) => v.toLowerCase());

/** Long enough that the login rate limit, not the password, is what stops guessing. */
export const passwordSchema = z.string().min(12, 'must be at least 12 characters').max(200);

export const userSchema = z.object({
  id: recordIdSchema,
  email: z.string(),
  name: z.string().nullable(),
  role: roleSchema,
  customerId: recordIdSchema.nullable(),
  technicianId: recordIdSchema.nullable(),
  createdAt: epochMsSchema,
  disabledAt: epochMsSchema.nullable(),
});
export type User = z.infer<typeof userSchema>;

/**
 * A customer account or token is confined to its customer, a technician's to its technician; other
 * roles belong to neither.
 */
function checkScope(
  b: { role: Role; customerId?: string | undefined; technicianId?: string | undefined },
  ctx: z.RefinementCtx,
  what: string,
): void {
  const needs = b.role === 'customer' ? 'customerId' : b.role === 'technician' ? 'technicianId' : null;
  for (const key of ['customerId', 'technicianId'] as const) {
    if (key === needs && b[key] === undefined)
      ctx.addIssue({ code: 'custom', path: [key], message: `is required for a ${b.role} ${what}` });
    if (key !== needs && b[key] !== undefined)
      ctx.addIssue({ code: 'custom', path: [key], message: `does not belong on a ${b.role} ${what}` });
  }
}

/** POST /api/users (admin), and `pnpm aftercare users add`. */
export const createUserBodySchema = z
  .strictObject({
    email: emailSchema,
    password: passwordSchema,
    name: z.string().trim().min(1).max(200).optional(),
    role: roleSchema,
    customerId: recordIdSchema.optional(),
    technicianId: recordIdSchema.optional(),
  })
  .superRefine((b, ctx) => checkScope(b, ctx, 'account'));
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

/** POST /api/auth/password: a logged-in person changing their own password. */
export const changePasswordBodySchema = z
  .strictObject({
    currentPassword: z.string().min(1, 'is required').max(200),
    newPassword: passwordSchema,
  })
  .refine((b) => b.newPassword !== b.currentPassword, {
    path: ['newPassword'],
    message: 'must differ from the current password',
  });
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

/** POST /api/users/:id/password (admin): a new password for someone who lost theirs. */
export const setPasswordBodySchema = z.strictObject({ password: passwordSchema });

/** POST /api/auth/login */
export const loginBodySchema = z.strictObject({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(200),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const loginResponseSchema = z.object({
  /** Send as `Authorization: Bearer <token>` until `expiresAt`. */
  token: z.string(),
  expiresAt: epochMsSchema,
  user: userSchema,
});

/** GET /api/auth/me: who the credentials stand for. */
export const meResponseSchema = z.object({
  role: roleSchema,
  via: z.enum(['session', 'api_token', 'admin_token']),
  user: userSchema.nullable(),
  customerId: recordIdSchema.nullable(),
  technicianId: recordIdSchema.nullable(),
  /** When the session ends; null for tokens. */
  expiresAt: epochMsSchema.nullable(),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/** An API token as listed; the secret itself is shown once, when the token is issued. */
export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  customerId: recordIdSchema.nullable(),
  technicianId: recordIdSchema.nullable(),
  /** ISO 8601. */
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type ApiTokenRecord = z.infer<typeof apiTokenSchema>;

/** POST /api/tokens (admin), and `pnpm aftercare tokens add`: a credential for a machine. */
export const createApiTokenBodySchema = z
  .strictObject({
    /** What the token is for, e.g. "ERP export" or "Grafana": how an admin recognises it in the list. */
    name: z.string().trim().min(1, 'is required').max(200),
    role: roleSchema,
    customerId: recordIdSchema.optional(),
    technicianId: recordIdSchema.optional(),
  })
  .superRefine((b, ctx) => checkScope(b, ctx, 'token'));
export type CreateApiTokenBody = z.infer<typeof createApiTokenBodySchema>;

export const issuedApiTokenSchema = z.object({
  /** Send as `Authorization: Bearer <token>`; only its SHA-256 is stored, so it cannot be shown again. */
  token: z.string(),
  record: apiTokenSchema,
});

/** Token ids are UUIDs, not record ids. */
export const apiTokenParamsSchema = z.strictObject({ id: z.uuid({ error: 'must be a token id (a UUID)' }) });
