import { z } from 'zod';
import { listQuerySchema, repeated } from '../http/list-query.js';
import { incidentSeverities } from '../incidents/incident-lifecycle.js';

export const proposalListSchema = listQuerySchema({
  sortable: ['score', 'createdAt', 'orderCount', 'deviceCount', 'lastOrderAt'],
  defaultSort: 'score',
  defaultOrder: 'DESC',
  filters: {
    status: repeated(z.enum(['open', 'declared', 'dismissed'], { error: 'must be open, declared or dismissed' })).optional(),
    severity: z.enum(incidentSeverities, { error: `must be one of ${incidentSeverities.join(', ')}` }).optional(),
    id: repeated(z.uuid({ error: 'must be a proposal id' })).optional(),
  },
});

export const dismissSchema = z.strictObject({ reason: z.string().trim().min(3, 'is required (at least 3 characters)').max(1000) });
