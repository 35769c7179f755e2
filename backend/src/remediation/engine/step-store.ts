import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PreparedStatement } from '../../database/prepared-statement.js';
import { retriedTransaction } from '../../database/retried-transaction.js';
import { LedgerWriter, stepOutcomeFacts } from '../../ledger/ledger-writer.js';

/** A step's final states; anything else is still open. */
export const finalStepStatuses = ['succeeded', 'skipped', 'failed', 'cancelled'] as const;
export type FinalStepStatus = (typeof finalStepStatuses)[number];

/** What an executor needs of a step, its order and its run (read when the step is claimed). */
export interface ClaimedStep {
  id: string;
  runId: string;
  incidentId: string;
  orderId: string;
  customerId: string;
  orderSource: string;
  orderExternalId: string;
  action: 'stop_shipment' | 'refund';
  operation: 'cancel' | 'void_label' | 'intercept' | 'request_return' | 'refund';
  idempotencyKey: string;
  amountMinor: number | null;
  currency: string | null;
  orderCurrency: string;
  paymentReference: string | null;
  /** Claims made before this one that were not undone: when > 0 the provider may already have acted. */
  earlierAttempts: number;
  providerRef: string | null;
}

/** A chunk's claim: the steps taken for this attempt, and those that became (or already were) final without one. */
export interface ChunkClaim {
  claimed: ClaimedStep[];
  /**
   * Final now or before: cancelled (the run is being cancelled and the step had not started), or
   * found final (a crash right after recording may have lost its follow-ups, which run again).
   */
  settled: string[];
  /** Nothing to do: gone, not queued, another job's, paused (back to `pending`), or its run is not running. */
  dropped: number;
}

export interface FinalResult {
  status: FinalStepStatus;
  providerRef?: string | null;
  providerStatus?: string | null;
  outcome?: Record<string, unknown> | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** When the provider's state made another operation the right one (a cancel that found a label: void it). */
  operation?: ClaimedStep['operation'];
}

/** A claimed step with the result its attempt reached. */
export interface Finished<E extends { result: FinalResult } = { result: FinalResult }> {
  step: ClaimedStep;
  execution: E;
}

type Verdict = 'final' | 'not_queued' | 'not_mine' | 'pause' | 'cancel' | 'claim' | 'run_not_running';

/**
 * The claim of a chunk: lock its steps (in id order, as every writer of several steps does),
 * judge each by its status, its owner and its run's status (see `claimChunk`), change it, and
 * read its order — one round trip for the whole chunk.
 */
const claimStatement = new PreparedStatement(`
  WITH target AS (
    SELECT s.id, s.status, s.job_id, r.status AS run_status, r.id AS run_id, r.incident_id
      FROM remediation_step s JOIN remediation_run r ON r.id = s.run_id
     WHERE s.id = ANY($1::uuid[])
     ORDER BY s.id
       FOR UPDATE OF s
  ), decided AS (
    SELECT t.*, CASE
             WHEN t.status IN (${finalStepStatuses.map((status) => `'${status}'`).join(', ')}) THEN 'final'
             WHEN t.status = 'pending' THEN 'not_queued'
             WHEN t.job_id IS DISTINCT FROM $2 THEN 'not_mine'
             -- Also a step left in flight by a crash: its earlier attempts are kept, so after resume it looks first.
             WHEN t.run_status = 'paused' THEN 'pause'
             WHEN t.run_status IN ('cancelling', 'cancelled') AND t.status = 'queued' THEN 'cancel'
             WHEN t.run_status IN ('running', 'cancelling', 'cancelled') THEN 'claim'
             ELSE 'run_not_running' END AS verdict
      FROM target t
  ), changed AS (
    UPDATE remediation_step s
       SET status = CASE d.verdict WHEN 'pause' THEN 'pending' WHEN 'cancel' THEN 'cancelled' ELSE 'in_flight' END,
           attempts = s.attempts + CASE d.verdict WHEN 'claim' THEN 1 ELSE 0 END,
           started_at = CASE d.verdict WHEN 'claim' THEN now() ELSE s.started_at END,
           error_code = CASE d.verdict WHEN 'cancel' THEN 'run_cancelled' ELSE s.error_code END,
           error_message = CASE d.verdict WHEN 'cancel' THEN 'The run was cancelled before this step started' ELSE s.error_message END,
           finished_at = CASE d.verdict WHEN 'cancel' THEN now() ELSE s.finished_at END,
           updated_at = now()
      FROM decided d
     WHERE s.id = d.id AND d.verdict IN ('pause', 'cancel', 'claim')
    RETURNING s.id, s.order_id, s.action, s.operation, s.idempotency_key, s.amount_minor, s.currency, s.attempts, s.provider_ref
  )
  SELECT d.id, d.verdict, d.run_id, d.incident_id,
         c.order_id, c.action, c.operation, c.idempotency_key, c.amount_minor, c.currency, c.attempts, c.provider_ref,
         o.customer_id, o.source, o.external_id, o.currency AS order_currency, o.payment_reference
    FROM decided d LEFT JOIN changed c ON c.id = d.id LEFT JOIN orders o ON o.id = c.order_id
   ORDER BY d.id`);

/** Records final results on steps that are still in flight (another attempt may have finished one). */
const finishStatement = new PreparedStatement(`
  UPDATE remediation_step s
     SET status = v.status, provider_ref = COALESCE(v.provider_ref, s.provider_ref),
         provider_status = COALESCE(v.provider_status, s.provider_status), outcome = v.outcome,
         error_code = v.error_code, error_message = v.error_message, operation = COALESCE(v.operation, s.operation),
         finished_at = now(), updated_at = now()
    FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::text[], $8::text[])
         AS v(id, status, provider_ref, provider_status, outcome, error_code, error_message, operation)
   WHERE s.id = v.id AND s.status = 'in_flight'
  RETURNING s.id`);

/** A transient failure: the step stays in flight (the provider may have acted); the error is shown meanwhile. */
const noteErrorsStatement = new PreparedStatement(`
  UPDATE remediation_step s SET error_code = v.code, error_message = v.message, updated_at = now()
    FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, code, message)
   WHERE s.id = v.id AND s.status = 'in_flight'`);

/** What the ledger books for a step about to be recorded with `final` (the row as `finishChunk` will leave it). */
const outcomeFacts = (step: ClaimedStep, final: FinalResult) =>
  stepOutcomeFacts({
    id: step.id,
    run_id: step.runId,
    incident_id: step.incidentId,
    order_id: step.orderId,
    action: step.action,
    operation: final.operation ?? step.operation,
    status: final.status,
    outcome: final.outcome ?? null,
    provider_ref: final.providerRef ?? step.providerRef,
    provider_status: final.providerStatus ?? null,
    finished_at: new Date(),
  });

/** Runs `UPDATE … RETURNING` and gives the rows (TypeORM answers a bare UPDATE with [rows, count]). */
export async function returning<T>(manager: EntityManager | DataSource, sql: string, params: unknown[]): Promise<T[]> {
  return manager.query(`WITH changed AS (${sql}) SELECT * FROM changed`, params);
}

/**
 * The step rows in PostgreSQL are the truth; these are the only writes the
 * engine makes to them, a chunk at a time, each a short transaction of its
 * own. The provider is called between `claimChunk` and `finishChunk`, never
 * inside either.
 */
@Injectable()
export class StepStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerWriter,
  ) {}

  /**
   * Takes the chunk's steps for one attempt, each respecting its run and its
   * owner: a step of another job (handed over again since) or not queued is
   * left alone; running → `in_flight` with attempts + 1; paused → back to
   * `pending`; cancelling or cancelled → `cancelled` unless the step was
   * already in flight (an earlier attempt may have reached the provider, so it
   * is finished, not abandoned). One statement, its own transaction.
   */
  async claimChunk(jobId: string, stepIds: string[]): Promise<ChunkClaim> {
    const rows = await claimStatement.run(this.dataSource, [stepIds, jobId]);
    const claim: ChunkClaim = { claimed: [], settled: [], dropped: stepIds.length - rows.length };
    for (const row of rows) {
      switch (row.verdict as Verdict) {
        case 'final':
        case 'cancel':
          claim.settled.push(row.id);
          break;
        case 'claim':
          claim.claimed.push({
            id: row.id,
            runId: row.run_id,
            incidentId: row.incident_id,
            orderId: row.order_id,
            customerId: row.customer_id,
            orderSource: row.source,
            orderExternalId: row.external_id,
            action: row.action,
            operation: row.operation,
            idempotencyKey: row.idempotency_key,
            amountMinor: row.amount_minor === null ? null : Number(row.amount_minor),
            currency: (row.currency as string | null)?.trim() ?? null,
            orderCurrency: (row.order_currency as string).trim(),
            paymentReference: row.payment_reference,
            earlierAttempts: Number(row.attempts) - 1,
            providerRef: row.provider_ref,
          });
          break;
        default:
          claim.dropped += 1;
      }
    }
    return claim;
  }

  /**
   * Records a chunk's final results in one transaction with whatever else must
   * change with them: `recordFacts` (the executor's: the refunds, the orders'
   * fulfilment state; it may adjust a result, e.g. a refund found failed), then
   * the loss ledger's entries, then the steps. A step someone else finished
   * meanwhile keeps its row; the facts recorded with it are the provider's
   * own (same idempotency key, same record), so they stand either way.
   *
   * Lock order, as the Stripe webhook handler takes them, so the two never
   * deadlock: refunds → orders → the ledger's order locks → steps, each in id
   * order. A deadlock with anything else runs it again (retriedTransaction).
   */
  async finishChunk<E extends { result: FinalResult }>(
    finished: Finished<E>[],
    recordFacts: (manager: EntityManager, finished: Finished<E>[]) => Promise<FinalResult[]>,
  ): Promise<void> {
    if (!finished.length) return;
    const sorted = [...finished].sort((a, b) => (a.step.id < b.step.id ? -1 : 1));
    await retriedTransaction(this.dataSource, async (manager) => {
      const finals = await recordFacts(manager, sorted);
      await this.ledger.recordStepOutcomes(
        manager,
        sorted.map((item, i) => outcomeFacts(item.step, finals[i]!)),
      );
      await finishStatement.run(manager, [
        sorted.map((item) => item.step.id),
        finals.map((final) => final.status),
        finals.map((final) => final.providerRef ?? null),
        finals.map((final) => final.providerStatus ?? null),
        finals.map((final) => (final.outcome ? JSON.stringify(final.outcome) : null)),
        finals.map((final) => final.errorCode ?? null),
        finals.map((final) => (final.errorMessage ? final.errorMessage.slice(0, 2000) : null)),
        finals.map((final) => final.operation ?? null),
      ]);
    });
  }

  /** Transient failures: the steps stay in flight (the provider may have acted); their errors are shown meanwhile. */
  async noteErrors(errors: { stepId: string; code: string; message: string }[]): Promise<void> {
    if (!errors.length) return;
    await noteErrorsStatement.run(this.dataSource, [
      errors.map((error) => error.stepId),
      errors.map((error) => error.code),
      errors.map((error) => error.message.slice(0, 2000)),
    ]);
  }
}
