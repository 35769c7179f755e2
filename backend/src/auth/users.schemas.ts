import { z } from 'zod';
import { listQuerySchema, queryBoolean, repeated } from '../http/list-query.js';
import { email, newPassword, reason, roleList } from './auth.schemas.js';
import { roles } from './roles.js';

export const createUserSchema = z.strictObject({
  email,
  fullName: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  roles: roleList,
  password: newPassword,
  reason,
});

export const updateUserSchema = z
  .strictObject({
    fullName: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
    roles: roleList.optional(),
    active: z.boolean({ error: 'must be true or false' }).optional(),
    /** An admin setting a new password for the user (ends their sessions). */
    password: newPassword.optional(),
    reason,
  })
  .refine((body) => Object.keys(body).some((key) => key !== 'reason'), {
    message: 'names nothing to change (fullName, roles, active or password)',
  });

export const userListSchema = listQuerySchema({
  sortable: ['email', 'fullName', 'active', 'createdAt', 'lastLoginAt'],
  defaultSort: 'createdAt',
  defaultOrder: 'DESC',
  filters: {
    q: z.string().trim().max(200, 'is too long').optional(),
    role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }).optional(),
    active: queryBoolean.optional(),
    id: repeated(z.uuid({ error: 'must be a user id' })).optional(),
  },
});
