import { z } from 'zod';
import { passwordPolicy } from './password-hasher.js';
import { roles } from './roles.js';

export const email = z
  .string({ error: 'is required' })
  .trim()
  .toLowerCase()
  .max(254, 'is too long')
  .pipe(z.email({ error: 'must be an e-mail address' }));

export const newPassword = z
  .string({ error: 'is required' })
  .min(passwordPolicy.minLength, `must be at least ${passwordPolicy.minLength} characters`)
  .max(passwordPolicy.maxLength, `must be at most ${passwordPolicy.maxLength} characters`);

export const reason = z.string().trim().max(1000, 'must be at most 1000 characters').optional();

export const roleList = z
  .array(z.enum(roles, { error: `must be one of ${roles.join(', ')}` }), { error: 'must be a list of roles' })
  .min(1, 'must name at least one role')
  .transform((list) => [...new Set(list)]);

export const loginSchema = z.strictObject({
  email,
  password: z.string({ error: 'is required' }).min(1, 'is required').max(passwordPolicy.maxLength, 'is too long'),
});

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string({ error: 'is required' }).min(1, 'is required'),
  newPassword,
});
