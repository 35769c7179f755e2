import { z } from 'zod';
import { listQuerySchema, repeated } from '../http/list-query.js';
import { deviceStates } from './device.entity.js';

export const deviceListSchema = listQuerySchema({
  sortable: ['id', 'model', 'firmwareVersion', 'state', 'createdAt'],
  defaultSort: 'id',
  filters: {
    q: z.string().trim().min(1).max(128).optional(),
    id: repeated(z.string().max(128)).optional(),
    model: z.string().max(100).optional(),
    firmware: z.string().max(50).optional(),
    state: z.enum(deviceStates, { error: `must be one of ${deviceStates.join(', ')}` }).optional(),
    customerId: z.uuid({ error: 'must be a customer id' }).optional(),
    /** Devices behind an incident's suspected or confirmed orders. */
    incidentId: z.uuid({ error: 'must be an incident id' }).optional(),
  },
});
export type DeviceListQuery = z.infer<typeof deviceListSchema>;
