import { describe, expect, it } from 'vitest';
import { allowedActions, isAction, mayPerform, permissionMatrix } from './permission-matrix.js';
import { roles } from './roles.js';

describe('permission matrix', () => {
  it('names only known roles and gives every action at least one', () => {
    for (const [action, permission] of Object.entries(permissionMatrix)) {
      expect(permission.roles.length, action).toBeGreaterThan(0);
      for (const role of permission.roles) expect(roles).toContain(role);
    }
  });

  it('allows a user with any one of the listed roles', () => {
    expect(mayPerform(['finance'], 'users.list')).toBe(false);
    expect(mayPerform(['finance', 'admin'], 'users.list')).toBe(true);
    expect(mayPerform([], 'auth.me')).toBe(false);
  });

  it('lists the allowed actions of a role set', () => {
    expect(allowedActions(['support_agent'])).not.toContain('audit-log.list');
    expect(allowedActions(['incident_commander'])).toContain('audit-log.list');
  });

  it('recognises actions', () => {
    expect(isAction('users.create')).toBe(true);
    expect(isAction('users.destroy')).toBe(false);
    expect(isAction('toString')).toBe(false);
  });
});
