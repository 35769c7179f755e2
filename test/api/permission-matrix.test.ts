import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionMatrix, type Action } from '../../backend/src/auth/permission-matrix.js';
import { RouteInventory, type RouteEntry } from '../../backend/src/auth/route-inventory.js';
import { roles, type Role } from '../../backend/src/auth/roles.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { insertUser, signIn } from '../support/users.js';

/**
 * Walks every route the app registers: each must declare its access, and for
 * each role a real HTTP request must be allowed or denied exactly as the
 * permission matrix says. A new route without a matrix entry fails here.
 */
describe('permission matrix against every registered route', () => {
  let api: TestApp;
  let routes: RouteEntry[];
  const accounts = new Map<Role, { email: string; password: string }>();

  beforeAll(async () => {
    api = await startTestApp({ LOGIN_MAX_ATTEMPTS_PER_IP: '100000', METRICS_TOKEN: 'metrics-token-for-the-matrix-test' });
    routes = api.app.get(RouteInventory).routes();
    for (const role of roles) accounts.set(role, await insertUser(api, [role]));
  });
  afterAll(() => api?.close());

  it('finds the routes (sanity check of the inventory itself)', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['GET /api/health', 'POST /api/auth/login', 'GET /api/users', 'PATCH /api/users/:id', 'GET /metrics']),
    );
  });

  it('gives every route an access declaration', () => {
    expect(routes.filter((r) => !r.access).map((r) => `${r.method} ${r.path} (${r.handler})`)).toEqual([]);
  });

  it('uses only actions of the matrix, and every matrix action has a route', () => {
    const used = new Set(routes.flatMap((r) => (r.access?.kind === 'permission' ? [r.access.action] : [])));
    for (const action of used) expect(Object.keys(permissionMatrix)).toContain(action);
    expect(Object.keys(permissionMatrix).filter((action) => !used.has(action as Action))).toEqual([]);
  });

  it('keeps public routes few and explained', () => {
    const open = routes.filter((r) => r.access?.kind === 'public');
    expect(open.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /api/health', 'POST /api/auth/login']);
    for (const route of open) expect((route.access as { why: string }).why.length).toBeGreaterThan(20);
  });

  it('never lets a user session stand in for a machine credential', async () => {
    const admin = accounts.get('admin')!;
    const token = await signIn(api, admin.email, admin.password);
    const machineRoutes = routes.filter((r) => r.access?.kind === 'machine');
    expect(machineRoutes.length).toBeGreaterThanOrEqual(4);
    for (const route of machineRoutes) {
      const res = await request(route, token);
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
  });

  it('answers 401 without a session on every permission route', async () => {
    for (const route of routes.filter((r) => r.access?.kind === 'permission')) {
      const res = await request(route, undefined);
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
  });

  it('allows and denies each role exactly as the matrix says, naming the action on 403', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      if (route.access?.kind !== 'permission') continue;
      const action = route.access.action;
      for (const role of roles) {
        const account = accounts.get(role)!;
        // A fresh session per call: the logout route ends the one it is called with.
        const token = await signIn(api, account.email, account.password);
        const res = await request(route, token);
        const allowed = (permissionMatrix[action].roles as readonly Role[]).includes(role);
        const denied = res.status === 403;
        if (allowed === denied || res.status === 401)
          mismatches.push(`${role} ${route.method} ${route.path}: ${res.status} ${res.body?.message ?? ''}`);
        if (denied) expect(res.body.message).toContain(`"${action}"`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  function request(route: RouteEntry, token: string | undefined) {
    const path = route.path.replace(/:[A-Za-z]+/g, randomUUID());
    const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
    let req = api.http[method](path);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    if (['post', 'patch', 'put'].includes(method)) req = req.send({});
    return req;
  }
});
