import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queues } from '../../backend/src/jobs/job-catalogue.js';
import { RunProgress } from '../../backend/src/remediation/run-progress.js';
import { startSmtpSink, type SmtpSinkProcess } from '../stand-ins/smtp-sink.js';
import { asPlatform, sampleOrder, toNdjson } from '../support/orders.js';
import { startPlannerWorker, type PlannerWorker } from '../support/planner-worker.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tableCounts, userWithRoles, type TestUser } from '../support/users.js';

const runTables = ['remediation_run', 'remediation_step', 'notification_outbox', 'incident_event', 'audit_log'];

let sequence = 0;
function order(model: string, customer: number, state: string) {
  sequence += 1;
  return sampleOrder({
    externalId: `${model}-${String(sequence).padStart(3, '0')}`,
    placedAt: new Date(Date.parse('2026-11-21T08:00:00Z') + sequence * 60_000).toISOString(),
    currency: 'USD',
    customer: {
      externalId: `${model}-CUST-${customer}`,
      email: `${model.toLowerCase()}-${customer}@example.com`,
      name: `${model} customer ${customer}`,
    },
    device: { id: `${model}-DEV-${customer}`, model, firmwareVersion: '1.0.0' },
    paymentReference: `pi_${model}_${sequence}`,
    fulfilment: { state },
  });
}

/**
 * A run's customer notices and what its report says about them and about
 * carrier fees: the outbox list (filters, sort, pages), the retry of failed
 * notices (reason, audit, 409 when nothing failed, the engine's notice job),
 * follow-up notices kept apart from the customers notified, and intercept
 * fees estimated in the preview beside the ones charged. The engine's part
 * (steps and notices becoming final) is done by hand, as in remediation-runs.
 */
describe('remediation run notices, follow-ups and intercept fees', () => {
  let api: TestApp;
  let planner: PlannerWorker;
  let emailQueue: Queue;
  let sink: SmtpSinkProcess;
  let agent: TestUser;
  let commander: TestUser;
  let finance: TestUser;
  let incidentId: string;
  let runId: string;
  const noticeOf = new Map<number, string>();

  const getRun = async (id: string) => (await finance.as(api.http.get(`/api/runs/${id}`)).expect(200)).body;
  const notices = (id: string, query = '', as: TestUser = finance) => as.as(api.http.get(`/api/runs/${id}/notices${query}`));
  const retry = (id: string, body: Record<string, unknown>, as: TestUser = agent) =>
    as.as(api.http.post(`/api/runs/${id}/notices/retry`)).send(body);
  const progress = () => api.app.get(RunProgress);

  async function waitFor(id: string, check: (run: { status: string }) => boolean, what: string) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const run = await getRun(id);
      if (check(run)) return run;
      if (Date.now() > deadline) throw new Error(`run ${id} is ${run.status}: waited for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const customerIdOf = async (n: number) =>
    (await api.db.query(`SELECT id FROM customer WHERE external_id = $1`, [`Delta-CUST-${n}`])).rows[0].id as string;

  async function incidentOver(model: string, count: number) {
    const id = (
      await commander
        .as(api.http.post('/api/incidents'))
        .send({ title: `${model} fleet`, severity: 'high', orderFilter: { model }, expectedCount: count })
        .expect(201)
    ).body.id as string;
    await commander
      .as(api.http.post(`/api/incidents/${id}/transition`))
      .send({ to: 'triage', reason: 'working it' })
      .expect(200);
    const { rows } = await api.db.query(`SELECT order_id FROM incident_order WHERE incident_id = $1`, [id]);
    await agent
      .as(api.http.post(`/api/incidents/${id}/members`))
      .send({ action: 'confirm', orderIds: rows.map((r) => r.order_id), reason: 'checked by hand' })
      .expect(200);
    return id;
  }

  beforeAll(async () => {
    sink = await startSmtpSink({ LOG_LEVEL: 'warn' });
    api = await startTestApp({
      LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
      REFUND_APPROVAL_THRESHOLDS: 'USD:100000000',
      // An estimate for USD only: its parcels get one, a currency without one says so.
      INTERCEPT_FEE_ESTIMATES: 'USD:1600',
      // No engine here sends mail; the sink is only read back (a trailing slash is dropped).
      SMTP_SINK_URL: `${sink.httpUrl}/`,
    });
    planner = startPlannerWorker(api, 'test-remediation-notices-planner');
    emailQueue = new Queue(queues.email, { connection: planner.redis, prefix: api.env.QUEUE_PREFIX });
    [agent, commander, finance] = await Promise.all([
      userWithRoles(api, ['support_agent']),
      userWithRoles(api, ['incident_commander']),
      userWithRoles(api, ['finance']),
    ]);
    await asPlatform(api.http.post('/api/orders/bulk'))
      .set('Content-Type', 'application/x-ndjson')
      .send(
        toNdjson([
          order('Delta', 1, 'unfulfilled'),
          order('Delta', 1, 'in_transit'),
          order('Delta', 2, 'in_transit'),
          order('Delta', 3, 'unfulfilled'),
          order('Echo', 1, 'unfulfilled'),
        ]),
      )
      .expect(200);
    incidentId = await incidentOver('Delta', 4);
  }, 90_000);

  afterAll(async () => {
    // The queue shares the planner's connection: closed first.
    await emailQueue?.close();
    await planner?.close();
    await api?.close();
    await sink?.stop();
  });

  it('previews the intercept fee per currency as an estimate from INTERCEPT_FEE_ESTIMATES', async () => {
    const preview = (
      await agent
        .as(api.http.post(`/api/incidents/${incidentId}/runs/preview`))
        .send({ actions: ['stop_shipment', 'refund', 'notify'] })
        .expect(200)
    ).body;
    const intercept = preview.stop_shipment.byOperation.find((o: { operation: string }) => o.operation === 'intercept');
    expect(intercept).toMatchObject({ fulfilmentState: 'in_transit', orders: 2 });
    expect(intercept.interceptFee).toEqual([{ currency: 'USD', orders: 2, perOrderMinor: 1600, amountMinor: 3200, estimated: true }]);
    const cancel = preview.stop_shipment.byOperation.find((o: { operation: string }) => o.operation === 'cancel');
    expect(cancel.interceptFee).toBeUndefined();
    // An estimate, not a comparable figure: the plan's figures match the preview's whatever the carrier charges.
    expect(preview.approval.required).toBe(false);
  });

  it('reports the customers notified by their one notice, follow-ups apart, and the intercept fees charged beside the estimate', async () => {
    runId = (
      await agent
        .as(api.http.post(`/api/incidents/${incidentId}/runs`))
        .send({ actions: ['stop_shipment', 'refund', 'notify'], reason: 'fraudulent fleet orders' })
        .expect(201)
    ).body.id;
    await waitFor(runId, (run) => run.status === 'running', 'planning');
    for (const n of [1, 2, 3]) {
      const { rows } = await api.db.query(`SELECT id FROM notification_outbox WHERE run_id = $1 AND customer_id = $2`, [
        runId,
        await customerIdOf(n),
      ]);
      noticeOf.set(n, rows[0].id);
    }

    // The engine's part, by hand: every step done (the intercepts with the carrier's fee), notices 1 and 3 sent, 2 refused.
    await api.db.query(
      `UPDATE remediation_step SET status = 'succeeded', attempts = 1, started_at = now(), finished_at = now(),
              outcome = CASE WHEN operation = 'intercept' THEN '{"currency": "USD", "interceptFeeMinor": 1600}'::jsonb ELSE '{}'::jsonb END
       WHERE run_id = $1`,
      [runId],
    );
    const { rows: intercepts } = await api.db.query(
      `SELECT id FROM remediation_step WHERE run_id = $1 AND operation = 'intercept' ORDER BY id LIMIT 1`,
      [runId],
    );
    await api.db.query(`UPDATE remediation_step SET outcome = outcome || '{"interceptFeeMinor": 1900}' WHERE id = $1`, [intercepts[0].id]);
    await api.db.query(
      `UPDATE notification_outbox SET status = 'sent', sent_at = now(), subject = 'Your orders', attempts = 1 WHERE id = ANY($1::uuid[])`,
      [[noticeOf.get(1), noticeOf.get(3)]],
    );
    await api.db.query(
      `UPDATE notification_outbox SET status = 'failed', attempts = 1, subject = 'Your orders',
              error_message = 'smtp_550: mailbox unavailable' WHERE id = $1`,
      [noticeOf.get(2)],
    );
    // Customer 1's refund failed after their notice said it was issued: the one follow-up, on the same run, already sent.
    const [followUp] = (
      await api.db.query(
        `INSERT INTO notification_outbox (incident_id, customer_id, template, run_id, status, subject, to_address, message_id, attempts, sent_at)
         VALUES ($1, $2, 'refund_failed', $3, 'sent', 'Update on your refund', 'delta-1@example.com', $4, 1, now()) RETURNING id`,
        [incidentId, await customerIdOf(1), runId, `<${randomUUID()}@example.test>`],
      )
    ).rows;
    expect(await progress().notificationFinished(runId)).toBe('completed');

    const run = await getRun(runId);
    expect(run.progress.find((p: { action: string }) => p.action === 'notify')).toMatchObject({ total: 3, done: 2, failed: 1 });
    const report = (await finance.as(api.http.get(`/api/runs/${runId}/report`)).expect(200)).body;
    expect(report.figures).toContainEqual({ figure: 'notify.customers', preview: 3, planned: 3, executed: 2 });
    // The refused notice is the only difference: the follow-up is not a customer notified twice.
    expect(report.differences).toEqual([
      { figure: 'notify.customers', preview: 3, executed: 2 },
      { figure: 'notify.failed', preview: 0, executed: 1 },
    ]);
    expect(report.executed.notify).toMatchObject({ sent: 2, failed: 1, followUps: { sent: 1, failed: 0, open: 0 } });
    expect(report.summary).toMatch(/; 2 notices sent \(and 1 refund-failed follow-up\); differs from its preview in 2 figures$/);
    expect(report.fees).toEqual({
      intercept: [
        {
          currency: 'USD',
          estimated: { orders: 2, amountMinor: 3200, perOrderMinor: 1600 },
          charged: { orders: 2, amountMinor: 3500 },
        },
      ],
    });
    expect(report.executed.stop_shipment.interceptFees).toEqual([{ currency: 'USD', orders: 2, amountMinor: 3500 }]);
    noticeOf.set(0, followUp.id);
  });

  it('lists the run’s notices with status, recipient, subject, sent time and error: filtered, sorted and paged', async () => {
    const all = (await notices(runId, '?_sort=toAddress&_order=ASC').expect(200)).body;
    expect(all.total).toBe(4);
    expect(all.data.map((n: { toAddress: string }) => n.toAddress)).toEqual([
      'delta-1@example.com',
      'delta-1@example.com',
      'delta-2@example.com',
      'delta-3@example.com',
    ]);
    expect(all.data.filter((n: { template: string }) => n.template === 'refund_failed')).toHaveLength(1);
    expect(all.data[0]).toMatchObject({
      runId,
      incidentId,
      customerName: 'Delta customer 1',
      status: 'sent',
      subject: expect.any(String),
      sentAt: expect.any(String),
      messageId: expect.stringMatching(/^<.+@.+>$/),
      attempts: 1,
      errorMessage: null,
    });

    const failed = (await notices(runId, '?status=failed', agent).expect(200)).body;
    expect(failed).toEqual({
      total: 1,
      data: [
        expect.objectContaining({ id: noticeOf.get(2), status: 'failed', errorMessage: 'smtp_550: mailbox unavailable', sentAt: null }),
      ],
    });
    const followUps = (await notices(runId, '?template=refund_failed&status=sent&status=failed')).body;
    expect(followUps.data.map((n: { id: string }) => n.id)).toEqual([noticeOf.get(0)]);

    const page1 = (await notices(runId, '?_perPage=3&_page=1&_sort=status&_order=ASC').expect(200)).body;
    const page2 = (await notices(runId, '?_perPage=3&_page=2&_sort=status&_order=ASC').expect(200)).body;
    expect([page1.total, page1.data.length, page2.total, page2.data.length]).toEqual([4, 3, 4, 1]);
    expect(page1.data[0].status).toBe('failed');
    expect(new Set([...page1.data, ...page2.data].map((n: { id: string }) => n.id)).size).toBe(4);

    const bad = await notices(runId, '?status=bounced').expect(400);
    expect(bad.body.fields[0].field).toBe('status');
    expect((await notices(runId, '?_sort=content').expect(400)).body.fields[0].field).toBe('_sort');
    await notices(randomUUID()).expect(404);
    await notices('not-a-run').expect(404);
  });

  it('gives the UI the mail sink’s address, and redirects from a sent notice to the sink’s copy of it', async () => {
    expect((await finance.as(api.http.get('/api/notifications/settings')).expect(200)).body).toEqual({ sinkUrl: sink.httpUrl });
    const message = (id: string, as: TestUser = finance) => as.as(api.http.get(`/api/runs/${runId}/notices/${id}/message`));
    // The sink has no copy yet (the engine is not running here): 404 saying so.
    const missing = await message(noticeOf.get(1)!).expect(404);
    expect(missing.body.message).toMatch(/^The mail sink has no message with Message-ID <.+>/);

    // The message as a relay would have delivered it, under the notice's Message-ID.
    const { rows } = await api.db.query(`SELECT message_id FROM notification_outbox WHERE id = $1`, [noticeOf.get(1)]);
    const transport = nodemailer.createTransport({ url: sink.smtpUrl } as never);
    await transport.sendMail({
      from: 'desk@example.test',
      to: 'delta-1@example.com',
      subject: 'Your orders',
      text: 'hello',
      html: '<p>hello</p>',
      messageId: rows[0].message_id,
    });
    transport.close();
    const found = await message(noticeOf.get(1)!, agent).expect(302);
    expect(found.headers.location).toMatch(new RegExp(`^${sink.httpUrl}/messages/msg_[0-9a-f]+/html$`));
    const copy = (await sink.get(found.headers.location!.slice(sink.httpUrl.length, -'/html'.length))).body;
    expect(copy).toMatchObject({ messageId: rows[0].message_id, to: ['delta-1@example.com'] });

    // Only a sent notice has a copy; another run's notice, or none, is unknown.
    expect((await message(noticeOf.get(2)!).expect(409)).body.message).toBe(
      'The notice is failed; only a sent notice has a copy in the mail sink',
    );
    await message(randomUUID()).expect(404);
    await message('not-a-notice').expect(404);
  });

  it('retries failed notices with a reason: back to pending, the run open again, audited, handed to the engine; 409 when none failed', async () => {
    const before = await tableCounts(api, runTables);
    const noReason = await retry(runId, {}).expect(400);
    expect(noReason.body.fields).toEqual([{ field: 'reason', message: expect.stringMatching(/is required/) }]);
    const byFinance = await retry(runId, { reason: 'try again' }, finance).expect(403);
    expect(byFinance.body.message).toContain('"runs.retry-notices"');
    const sentOne = await retry(runId, { noticeIds: [noticeOf.get(1), noticeOf.get(2)], reason: 'relay fixed' }).expect(409);
    expect(sentOne.body.message).toBe(`Only failed notices can be retried: ${noticeOf.get(1)} is sent; nothing was changed`);
    const stranger = await retry(runId, { noticeIds: [randomUUID()], reason: 'relay fixed' }).expect(400);
    expect(stranger.body.fields[0].field).toBe('noticeIds');
    expect(await tableCounts(api, runTables)).toEqual(before);
    expect((await getRun(runId)).status).toBe('completed');

    const retried = await retry(runId, { reason: 'the relay accepts mail again' }).expect(200);
    expect(retried.body).toMatchObject({ id: runId, status: 'running', finishedAt: null, report: null });
    const { rows } = await api.db.query(`SELECT status, job_id FROM notification_outbox WHERE id = $1`, [noticeOf.get(2)]);
    expect(rows[0].status).toBe('pending');
    // Handed to a new chunk job of the engine, whose id the row keeps: the sender claims it and sends it under its Message-ID.
    expect(rows[0].job_id).toMatch(/^notices-/);
    const job = await emailQueue.getJob(rows[0].job_id);
    expect(job).toMatchObject({ name: 'remediation.notices', data: { outboxIds: [noticeOf.get(2)] } });

    const { rows: audit } = await api.db.query(
      `SELECT action, reason, actor_email, summary FROM audit_log WHERE target_id = $1 AND action = 'runs.retry-notices'`,
      [runId],
    );
    expect(audit).toEqual([
      {
        action: 'runs.retry-notices',
        reason: 'the relay accepts mail again',
        actor_email: agent.email,
        summary: expect.objectContaining({ notices: 1, noticeIds: [noticeOf.get(2)], from: 'completed' }),
      },
    ]);
    const timeline = (await agent.as(api.http.get(`/api/incidents/${incidentId}/timeline?kind=remediation&_perPage=100`)).expect(200)).body
      .data;
    expect(timeline.map((e: { message: string }) => e.message)).toContainEqual(
      expect.stringMatching(/^Retrying 1 failed notice of RUN-\d{4}; the run runs again: the relay accepts mail again$/),
    );

    const again = await retry(runId, { reason: 'once more' }).expect(409);
    expect(again.body.message).toMatch(/^RUN-\d{4} has no failed notices to retry; nothing was changed$/);

    // Sent this time: the run completes again and its report matches the preview.
    await api.db.query(`UPDATE notification_outbox SET status = 'sent', sent_at = now(), error_message = NULL WHERE id = $1`, [
      noticeOf.get(2),
    ]);
    expect(await progress().notificationFinished(runId)).toBe('completed');
    const report = (await finance.as(api.http.get(`/api/runs/${runId}/report`)).expect(200)).body;
    expect(report).toMatchObject({ matchesPreview: true, differences: [] });
  });

  it('refuses to retry the notices of a run that is not running, paused or completed, naming its state', async () => {
    const echo = await incidentOver('Echo', 1);
    const run = (
      await agent
        .as(api.http.post(`/api/incidents/${echo}/runs`))
        .send({ actions: ['refund', 'notify'], reason: 'echo fleet' })
        .expect(201)
    ).body;
    await waitFor(run.id, (r) => r.status === 'running', 'planning');
    await api.db.query(`UPDATE notification_outbox SET status = 'failed', error_message = 'no' WHERE run_id = $1`, [run.id]);
    await agent
      .as(api.http.post(`/api/runs/${run.id}/cancel`))
      .send({ reason: 'not this one' })
      .expect(200);
    await waitFor(run.id, (r) => r.status === 'cancelled', 'the cancel');
    const before = await tableCounts(api, runTables);
    const res = await retry(run.id, { reason: 'send it anyway' }).expect(409);
    expect(res.body.message).toMatch(
      /^RUN-\d{4} is cancelled; retrying failed notices needs a run that is running or paused or completed \(a cancelled run is final; request a new run for what is left\); nothing was changed$/,
    );
    expect(await tableCounts(api, runTables)).toEqual(before);
  });
});
