import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

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
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes the step for one attempt, respecting its run: running → `in_flight`
   * with attempts + 1; paused → back to `pending`; cancelling or cancelled →
   * `cancelled` unless the step was already in flight (an earlier attempt may
   * have reached the provider, so it is finished, not abandoned).
   */
  async claim(stepId: string): Promise<Claim> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query(
        `SELECT s.status, s.attempts, r.status AS run_status, r.id AS run_id
           FROM remediation_step s JOIN remediation_run r ON r.id = s.run_id
          WHERE s.id = $1
          FOR UPDATE OF s`,
        [stepId],
      );
      if (!row) return { kind: 'dropped', reason: 'step not found' };
      const status = row.status as string;
      const runStatus = row.run_status as string;
      if ((finalStepStatuses as readonly string[]).includes(status)) {
        return { kind: 'dropped', reason: `step already ${status}`, final: { runId: row.run_id } };
      }
      if (status === 'pending') return { kind: 'dropped', reason: 'step is not queued' };

      if (runStatus === 'paused') {
        // Also a step left in flight by a crash: its earlier attempts are kept, so after resume it looks first.
        await manager.query(`UPDATE remediation_step SET status = 'pending', updated_at = now() WHERE id = $1`, [stepId]);
        return { kind: 'paused' };
      }
      const cancelling = runStatus === 'cancelling' || runStatus === 'cancelled';
      if (cancelling && status === 'queued') {
        await manager.query(
          `UPDATE remediation_step SET status = 'cancelled', error_code = 'run_cancelled', error_message = 'The run was cancelled before this step started',
                  finished_at = now(), updated_at = now() WHERE id = $1`,
          [stepId],
        );
        return { kind: 'cancelled', runId: row.run_id };
      }
      if (runStatus !== 'running' && !cancelling) return { kind: 'dropped', reason: `run is ${runStatus}` };

      const [step] = await returning<Record<string, unknown>>(
        manager,
        `UPDATE remediation_step SET status = 'in_flight', attempts = attempts + 1, started_at = now(), updated_at = now()
          WHERE id = $1 RETURNING *`,
        [stepId],
      );
      const [order] = await manager.query(
        `SELECT o.customer_id, o.source, o.external_id, o.currency, o.payment_reference, r.incident_id
           FROM orders o, remediation_run r WHERE o.id = $1 AND r.id = $2`,
        [step!.order_id, step!.run_id],
      );
      return {
        kind: 'claimed',
        step: {
          id: stepId,
          runId: step!.run_id as string,
          incidentId: order.incident_id,
          orderId: step!.order_id as string,
          customerId: order.customer_id,
          orderSource: order.source,
          orderExternalId: order.external_id,
          action: step!.action as ClaimedStep['action'],
          operation: step!.operation as ClaimedStep['operation'],
          idempotencyKey: step!.idempotency_key as string,
          amountMinor: step!.amount_minor === null ? null : Number(step!.amount_minor),
          currency: (step!.currency as string | null)?.trim() ?? null,
          orderCurrency: (order.currency as string).trim(),
          paymentReference: order.payment_reference,
          earlierAttempts: Number(step!.attempts) - 1,
          providerRef: step!.provider_ref as string | null,
        },
      };
    });
  }

  /**
   * Records the final outcome in one transaction with whatever else must
   * change with it (`alsoIn`: the refund mirror, the order's fulfilment
   * state, later the ledger). Only an in-flight step is finished: a step
   * someone else finished meanwhile is left as it is (returns null).
   */
  async finish(
    stepId: string,
    result: FinalResult,
    alsoIn?: (manager: EntityManager) => Promise<FinalResult | void>,
  ): Promise<FinalStepStatus | null> {
    return this.dataSource.transaction(async (manager) => {
      const [locked] = await manager.query(`SELECT status FROM remediation_step WHERE id = $1 FOR UPDATE`, [stepId]);
      if (!locked || locked.status !== 'in_flight') return null;
      const final = (await alsoIn?.(manager)) ?? result;
      await manager.query(
        `UPDATE remediation_step
            SET status = $2, provider_ref = COALESCE($3, provider_ref), provider_status = COALESCE($4, provider_status),
                outcome = $5, error_code = $6, error_message = $7, operation = COALESCE($8, operation),
                finished_at = now(), updated_at = now()
          WHERE id = $1`,
        [
          stepId,
          final.status,
          final.providerRef ?? null,
          final.providerStatus ?? null,
          final.outcome ? JSON.stringify(final.outcome) : null,
          final.errorCode ?? null,
          final.errorMessage ? final.errorMessage.slice(0, 2000) : null,
          final.operation ?? null,
        ],
      );
      return final.status;
    });
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
