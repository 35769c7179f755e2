import fc from 'fast-check';
import { roles } from '../../../backend/src/auth/roles.js';
import { asPlatform, generated, ingestOrders, sampleOrder } from '../orders.js';
import type { TestApp } from '../test-app.js';
import { userWithRoles, type TestUser } from '../users.js';

/** Rows of each resource a path parameter can name, so fuzzed requests reach existing records too. */
const poolQueries: Record<string, string> = {
  incidents: `SELECT id::text FROM incident`,
  runs: `SELECT id::text FROM remediation_run`,
  quarantines: `SELECT id::text FROM quarantine`,
  proposals: `SELECT id::text FROM detection_proposal`,
  'detection-rules': `SELECT id FROM detection_rule`,
  users: `SELECT id::text FROM app_user`,
  orders: `SELECT id::text FROM orders`,
  reconciliations: `SELECT id::text FROM ledger_reconciliation`,
  notices: `SELECT id::text FROM notification_outbox`,
  devices: `SELECT id FROM device`,
  customers: `SELECT id::text FROM customer`,
};

/**
 * Existing ids of the resource a path parameter belongs to (the path segment
 * before it), newest state each time. A resource without a query here (a new
 * endpoint) gets random and junk ids only, which still exercises it.
 */
export async function idPool(api: TestApp, resource: string, exclude: string[]): Promise<string[]> {
  const sql = poolQueries[resource];
  if (!sql) return [];
  const { rows } = await api.db.query<{ id: string }>(`${sql} ORDER BY random() LIMIT 40`);
  return rows.map((row) => row.id).filter((id) => !exclude.includes(id));
}

export interface FuzzFixtures {
  /** The fuzzing user: every role, so every permission route lets it in. Never a target of user edits. */
  actor: TestUser;
  /** Valid values by property name, for bodies that get past validation. */
  hints: Record<string, fc.Arbitrary<unknown>>;
}

/**
 * A small but complete world: users of each role, generated fleet orders with
 * attacks, detection proposals, an incident with confirmed members, a
 * remediation run awaiting approval, a quarantine and a reconciliation.
 */
export async function seedFuzzWorld(api: TestApp): Promise<FuzzFixtures> {
  const actor = await userWithRoles(api, [...roles]);
  const commander = await userWithRoles(api, ['incident_commander']);
  const agent = await userWithRoles(api, ['support_agent']);
  await userWithRoles(api, ['admin']);
  await userWithRoles(api, ['finance']);

  await ingestOrders(api, generated(250, 7));
  const fleet = Array.from({ length: 6 }, (_, i) =>
    sampleOrder({
      externalId: `FUZZ-${i}`,
      paymentReference: `pi_fuzz_${i}`,
      device: { id: `FUZZ-DEV-${i % 2}`, model: 'FuzzPrinter', firmwareVersion: '1.0.0' },
    }),
  );
  for (const order of fleet) await asPlatform(api.http.post('/api/orders')).send(order).expect(201);
  await commander.as(api.http.post('/api/proposals/run')).expect(200);

  const declared = await commander
    .as(api.http.post('/api/incidents'))
    .send({ title: 'FuzzPrinter fleet', severity: 'high', orderFilter: { model: 'FuzzPrinter' }, expectedCount: fleet.length })
    .expect(201);
  const incidentId = declared.body.id as string;
  await commander
    .as(api.http.post(`/api/incidents/${incidentId}/transition`))
    .send({ to: 'triage', reason: 'working it' })
    .expect(200);
  const { rows: members } = await api.db.query<{ id: string }>(`SELECT id::text FROM orders WHERE device_model = 'FuzzPrinter'`);
  await agent
    .as(api.http.post(`/api/incidents/${incidentId}/members`))
    .send({ action: 'confirm', orderIds: members.map((m) => m.id), reason: 'checked by hand' })
    .expect(200);
  const run = await agent
    .as(api.http.post(`/api/incidents/${incidentId}/runs`))
    .send({ actions: ['refund', 'notify'], reason: 'fraudulent fleet orders' });
  if (run.status >= 300) throw new Error(`fixture run: ${run.status} ${JSON.stringify(run.body)}`);
  await commander
    .as(api.http.post('/api/quarantines'))
    .send({ scope: 'device', deviceId: 'FUZZ-DEV-0', reason: 'compromised', incidentId })
    .expect(201);
  const reconciliation = await commander.as(api.http.post(`/api/incidents/${incidentId}/reconciliations`)).send({ reason: 'check' });
  if (reconciliation.status >= 300)
    throw new Error(`fixture reconciliation: ${reconciliation.status} ${JSON.stringify(reconciliation.body)}`);

  const column = async (sql: string) => (await api.db.query<{ v: string }>(sql)).rows.map((row) => row.v);
  const pick = (values: string[]) => (values.length ? fc.constantFrom(...values) : fc.string());
  const orderIds = pick(await column(`SELECT id::text AS v FROM orders ORDER BY random() LIMIT 50`));
  const userIds = pick(await column(`SELECT id::text AS v FROM app_user WHERE id <> '${actor.id}'`));
  const devices = await column(`SELECT id AS v FROM device ORDER BY random() LIMIT 30`);
  const hints: Record<string, fc.Arbitrary<unknown>> = {
    commanderId: userIds,
    proposalId: pick(await column(`SELECT id::text AS v FROM detection_proposal`)),
    incidentId: fc.constant(incidentId),
    customerId: pick(await column(`SELECT id::text AS v FROM customer LIMIT 20`)),
    'orderIds[]': orderIds,
    'noticeIds[]': pick(await column(`SELECT id::text AS v FROM notification_outbox LIMIT 20`)),
    'stepIds[]': pick(await column(`SELECT id::text AS v FROM remediation_step LIMIT 20`)),
    deviceId: pick(devices),
    model: pick(await column(`SELECT DISTINCT model AS v FROM device`)),
    firmwareVersion: pick(await column(`SELECT DISTINCT firmware_version AS v FROM device`)),
    currentPassword: fc.constant(actor.password),
    email: pick(await column(`SELECT email AS v FROM app_user`)),
    source: pick(await column(`SELECT DISTINCT source AS v FROM orders`)),
    payment_intent: pick(await column(`SELECT DISTINCT payment_reference AS v FROM orders WHERE payment_reference LIKE 'pi_%' LIMIT 20`)),
    externalId: pick(await column(`SELECT external_id AS v FROM orders LIMIT 30`)),
    reason: fc.constantFrom('fraudulent fleet orders', 'confirmed by the commander', 'not an incident'),
  };
  return { actor, hints };
}
