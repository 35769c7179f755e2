import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PreparedStatement } from '../../database/prepared-statement.js';
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

export type Claim =
  | { kind: 'claimed'; step: ClaimedStep }
  /** Nothing to do: the step is final (`final` set), gone, not queued, or its run is not running. */
  | { kind: 'dropped'; reason: string; final?: { runId: string } }
  /** The run is paused: the step went back to `pending`; resume enqueues it again. */
  | { kind: 'paused' }
  /** The run is being cancelled and the step had not started: it is now `cancelled` (final). */
  | { kind: 'cancelled'; runId: string };

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

type Verdict = 'final' | 'not_queued' | 'pause' | 'cancel' | 'claim' | 'run_not_running';

/** The claim: lock the step, decide from its status and its run's (see `claim`), change it, read the order. */
const claimStatement = new PreparedStatement(`
  WITH target AS (
    SELECT s.id, s.status, r.status AS run_status, r.id AS run_id, r.incident_id
      FROM remediation_step s JOIN remediation_run r ON r.id = s.run_id
     WHERE s.id = $1
       FOR UPDATE OF s
  ), decided AS (
    SELECT t.*, CASE
             WHEN t.status IN (${finalStepStatuses.map((status) => `'${status}'`).join(', ')}) THEN 'final'
             WHEN t.status = 'pending' THEN 'not_queued'
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
  SELECT d.verdict, d.status AS previous_status, d.run_status, d.run_id, d.incident_id,
         c.order_id, c.action, c.operation, c.idempotency_key, c.amount_minor, c.currency, c.attempts, c.provider_ref,
         o.customer_id, o.source, o.external_id, o.currency AS order_currency, o.payment_reference
    FROM decided d LEFT JOIN changed c ON c.id = d.id LEFT JOIN orders o ON o.id = c.order_id`);

/** Records a final result on a step that is still in flight (another attempt may have finished it). */
const finishStatement = new PreparedStatement(`
  UPDATE remediation_step
     SET status = $2, provider_ref = COALESCE($3, provider_ref), provider_status = COALESCE($4, provider_status),
         outcome = $5, error_code = $6, error_message = $7, operation = COALESCE($8, operation),
         finished_at = now(), updated_at = now()
   WHERE id = $1 AND status = 'in_flight'
  RETURNING status`);

const finishParams = (stepId: string, final: FinalResult): unknown[] => [
  stepId,
  final.status,
  final.providerRef ?? null,
  final.providerStatus ?? null,
  final.outcome ? JSON.stringify(final.outcome) : null,
  final.errorCode ?? null,
  final.errorMessage ? final.errorMessage.slice(0, 2000) : null,
  final.operation ?? null,
];

/** What the ledger books for a step about to be recorded with `final` (the row as `finish` will leave it). */
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

/** Rolls `finish`'s transaction back when the step was no longer in flight. */
class NotInFlight extends Error {}

/** Runs `UPDATE … RETURNING` and gives the rows (TypeORM answers a bare UPDATE with [rows, count]). */
export async function returning<T>(manager: EntityManager | DataSource, sql: string, params: unknown[]): Promise<T[]> {
  return manager.query(`WITH changed AS (${sql}) SELECT * FROM changed`, params);
}

/**
 * The step's row in PostgreSQL is the truth; these are the only writes the
 * engine makes to it, each a short transaction of its own. The provider is
 * called between `claim` and `finish`, never inside either.
 */
@Injectable()
export class StepStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerWriter,
  ) {}

  /**
   * Takes the step for one attempt, respecting its run: running → `in_flight`
   * with attempts + 1; paused → back to `pending`; cancelling or cancelled →
   * `cancelled` unless the step was already in flight (an earlier attempt may
   * have reached the provider, so it is finished, not abandoned).
   *
   * One statement (its own transaction): the step row is locked, judged and
   * changed, and what the executor needs is read with it — one round trip on
   * the path every step takes.
   */
  async claim(stepId: string): Promise<Claim> {
    const [row] = await claimStatement.run(this.dataSource, [stepId]);
    if (!row) return { kind: 'dropped', reason: 'step not found' };
    switch (row.verdict as Verdict) {
      case 'final':
        return { kind: 'dropped', reason: `step already ${row.previous_status}`, final: { runId: row.run_id } };
      case 'not_queued':
        return { kind: 'dropped', reason: 'step is not queued' };
      case 'run_not_running':
        return { kind: 'dropped', reason: `run is ${row.run_status}` };
      case 'pause':
        return { kind: 'paused' };
      case 'cancel':
        return { kind: 'cancelled', runId: row.run_id };
      case 'claim':
        return {
          kind: 'claimed',
          step: {
            id: stepId,
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
          },
        };
    }
  }

  /**
   * Records the final outcome in one transaction with whatever else must
   * change with it: `alsoIn` (the refund mirror, the order's fulfilment
   * state), then the loss ledger's entries for it, then the step. Only an
   * in-flight step is finished: a step someone else finished meanwhile is
   * left as it is and nothing of this transaction stays (returns null).
   *
   * Lock order: the refund mirror → the order → the step, as the Stripe
   * webhook handler takes them, so the two never deadlock on one order.
   */
  async finish(
    step: ClaimedStep,
    result: FinalResult,
    alsoIn?: (manager: EntityManager) => Promise<FinalResult | void>,
  ): Promise<FinalStepStatus | null> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const final = (await alsoIn?.(manager)) ?? result;
        await this.ledger.recordStepOutcome(manager, outcomeFacts(step, final));
        const [row] = await finishStatement.run<{ status: FinalStepStatus }>(manager, finishParams(step.id, final));
        if (!row) throw new NotInFlight();
        return row.status;
      });
    } catch (error) {
      if (error instanceof NotInFlight) return null;
      throw error;
    }
  }

  /** A transient failure: the step stays in flight (the provider may have acted); the error is shown meanwhile. */
  async noteError(stepId: string, code: string, message: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE remediation_step SET error_code = $2, error_message = $3, updated_at = now() WHERE id = $1 AND status = 'in_flight'`,
      [stepId, code, message.slice(0, 2000)],
    );
  }

  /**
   * The provider refused for rate: it did nothing, so the claim is undone
   * (back to queued, the attempt not counted) and the job waits in the queue.
   */
  async releaseRateLimited(stepId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE remediation_step SET status = 'queued', attempts = greatest(attempts - 1, 0), updated_at = now() WHERE id = $1 AND status = 'in_flight'`,
      [stepId],
    );
  }
}
