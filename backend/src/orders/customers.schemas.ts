import { z } from 'zod';
import { listQuerySchema, repeated } from '../http/list-query.js';

export const customerListSchema = listQuerySchema({
  sortable: ['email', 'name', 'createdAt', 'externalId'],
  defaultSort: 'createdAt',
  defaultOrder: 'DESC',
  filters: {
    q: z.string().trim().min(1).max(200).optional(),
    id: repeated(z.uuid({ error: 'must be a customer id' })).optional(),
  },
});
export type CustomerListQuery = z.infer<typeof customerListSchema>;
