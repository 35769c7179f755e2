import { z } from 'zod';
import { listQuerySchema, queryBoolean } from '../http/list-query.js';
import { quarantineScopes } from './quarantine.entity.js';

const reason = z
  .string({ error: 'is required' })
  .trim()
  .min(3, 'is required (at least 3 characters)')
  .max(1000, 'must be at most 1000 characters');
const deviceId = z.string({ error: 'is required' }).trim().min(1, 'is required').max(128, 'must be at most 128 characters');
const model = z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters');
const firmwareVersion = z.string({ error: 'is required' }).trim().min(1, 'is required').max(50, 'must be at most 50 characters');

const common = {
  reason,
  /** Optional end of the quarantine; it stops applying by itself then. */
  expiresAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO date-time (2026-11-20T10:00:00Z)' })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() > Date.now(), 'must be in the future')
    .optional(),
  incidentId: z.uuid({ error: 'must be an incident id' }).optional(),
};

export const createQuarantineSchema = z.discriminatedUnion(
  'scope',
  [
    z.strictObject({ scope: z.literal('device'), deviceId, ...common }),
    z.strictObject({ scope: z.literal('firmware'), model, firmwareVersion, ...common }),
    z.strictObject({ scope: z.literal('model'), model, ...common }),
  ],
  { error: `must be one of ${quarantineScopes.join(', ')}` },
);
export type CreateQuarantine = z.infer<typeof createQuarantineSchema>;

export const releaseQuarantineSchema = z.strictObject({ reason });
export type ReleaseQuarantine = z.infer<typeof releaseQuarantineSchema>;

export const quarantineListSchema = listQuerySchema({
  sortable: ['createdAt'],
  defaultSort: 'createdAt',
  defaultOrder: 'DESC',
  filters: {
    active: queryBoolean.optional(),
    scope: z.enum(quarantineScopes, { error: `must be one of ${quarantineScopes.join(', ')}` }).optional(),
    /** Quarantines that apply to this device: its own, its firmware's and its model's. */
    deviceId: z.string().max(128, 'must be at most 128 characters').optional(),
    model: z.string().max(100, 'must be at most 100 characters').optional(),
    incidentId: z.uuid({ error: 'must be an incident id' }).optional(),
  },
});
export type QuarantineListQuery = z.infer<typeof quarantineListSchema>;

/** What the storefront may add to its check: the model and firmware the device reports now. */
export const authorizationQuerySchema = z
  .strictObject({
    model: z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
    firmware: z.string().min(1, 'must not be empty').max(50, 'must be at most 50 characters').optional(),
  })
  .refine((query) => !query.firmware || query.model, { message: 'needs model as well', path: ['firmware'] });
export type AuthorizationQuery = z.infer<typeof authorizationQuerySchema>;

export const deviceIdParamSchema = deviceId;
