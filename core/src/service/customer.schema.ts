import { z } from 'zod';
import {
  epochMsSchema,
  latSchema,
  lonSchema,
  pageQueryShape,
  recordIdSchema,
  textSchema,
} from './common.schema.ts';

export const customerKinds = ['residential', 'business'] as const;
export type CustomerKind = (typeof customerKinds)[number];

export const contactSchema = z.strictObject({
  name: textSchema(200).optional(),
  email: z.email().max(254).optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9 ()-]{5,32}$/, 'must be a phone number: digits, spaces, "()", "-", optional leading "+"')
    .optional(),
});
export type Contact = z.infer<typeof contactSchema>;

export const customerSchema = z.object({
  id: recordIdSchema,
  name: z.string(),
  kind: z.enum(customerKinds),
  contact: contactSchema,
  createdAt: epochMsSchema,
  updatedAt: epochMsSchema,
});
export type Customer = z.infer<typeof customerSchema>;

/** POST /api/customers. The id may be given (to match ids devices already carry) or is generated. */
export const createCustomerBodySchema = z.strictObject({
  id: recordIdSchema.optional(),
  name: textSchema(200),
  kind: z.enum(customerKinds),
  contact: contactSchema.default({}),
});
export type CreateCustomerBody = z.infer<typeof createCustomerBodySchema>;

/** PATCH /api/customers/:id */
export const updateCustomerBodySchema = z.strictObject({
  name: textSchema(200).optional(),
  kind: z.enum(customerKinds).optional(),
  contact: contactSchema.optional(),
});
export type UpdateCustomerBody = z.infer<typeof updateCustomerBodySchema>;

export const listCustomersQuerySchema = z.strictObject({
  kind: z.enum(customerKinds).optional(),
  /** Case-insensitive part of the name. */
  q: z.string().trim().min(1).max(100).optional(),
  ...pageQueryShape,
});
export type ListCustomersQuery = z.infer<typeof listCustomersQuerySchema>;

export const siteSchema = z.object({
  id: recordIdSchema,
  customerId: recordIdSchema,
  name: z.string(),
  address: z.string(),
  lat: latSchema,
  lon: lonSchema,
  createdAt: epochMsSchema,
});
export type Site = z.infer<typeof siteSchema>;

/** POST /api/customers/:id/sites */
export const createSiteBodySchema = z.strictObject({
  name: textSchema(200),
  address: textSchema(300),
  lat: latSchema,
  lon: lonSchema,
});
export type CreateSiteBody = z.infer<typeof createSiteBodySchema>;

export const listSitesQuerySchema = z.strictObject({
  customerId: recordIdSchema.optional(),
  ...pageQueryShape,
});
