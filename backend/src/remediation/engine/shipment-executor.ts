import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  FULFILMENT_PROVIDER,
  type ActionResult,
  type FulfilmentProvider,
  type ShipmentAction,
  type ShipmentRecord,
  type ShipmentState,
} from '../../fulfilment/fulfilment-provider.js';
import { shipmentReference } from '../../fulfilment/shipment-reference.js';
import { ProviderFailure } from '../../payments/provider-failure.js';
import type { Pace, StepExecutor } from './chunk-runner.js';
import type { ClaimedStep, FinalResult, Finished } from './step-store.js';

type ShipmentOperation = 'cancel' | 'void_label' | 'intercept' | 'request_return';

const call: Record<ShipmentOperation, (provider: FulfilmentProvider, reference: string, key: string) => Promise<ActionResult>> = {
  cancel: (provider, reference, key) => provider.cancel(reference, key),
  void_label: (provider, reference, key) => provider.voidLabel(reference, key),
  intercept: (provider, reference, key) => provider.intercept(reference, key),
  request_return: (provider, reference, key) => provider.requestReturn(reference, key),
};

/** Where the goods are → how to stop them (the same mapping planning uses, applied to the provider's current state). */
const operationFor: Partial<Record<ShipmentState, ShipmentOperation>> = {
  unfulfilled: 'cancel',
  label_created: 'void_label',
  in_transit: 'intercept',
  delivered: 'request_return',
};

const stoppedStates: readonly ShipmentState[] = ['cancelled', 'label_voided', 'intercept_requested', 'return_requested'];

/** A stop step's result, and the shipment's state it leaves (written to the order with the result). */
export interface ShipmentExecution {
  result: FinalResult;
  shipmentState?: ShipmentState;
}

/** Our order's fulfilment state once the provider has acted. */
const orderStateAfter: Partial<Record<ShipmentState, string>> = {
  cancelled: 'cancelled',
  label_voided: 'cancelled',
  intercept_requested: 'intercepted',
};

/**
 * A stop-shipment step. The shipment may have moved on since planning (a
 * label printed, a parcel scanned at the door): when the provider answers
 * `too_late` with the shipment's state, the step follows it — cancel → void
 * the label → intercept → request a return — each with its own derived key,
 * and records the operation it actually took. A step tried before first
 * reads the shipment's action log for an action carrying our key.
 */
@Injectable()
export class ShipmentExecutor implements StepExecutor<ShipmentExecution> {
  constructor(@Inject(FULFILMENT_PROVIDER) private readonly fulfilment: FulfilmentProvider) {}

  async execute(step: ClaimedStep, pace: Pace): Promise<ShipmentExecution> {
    const reference = shipmentReference({ id: step.orderId });
    if (step.earlierAttempts > 0) {
      await pace();
      const shipment = await this.fulfilment.getShipment(reference);
      const ours = shipment.actions.find((action) => action.idempotencyKey.startsWith(step.idempotencyKey));
      if (ours) return this.succeeded(step, ours, shipment, 'found');
    }

    let operation = step.operation as ShipmentOperation;
    for (let hop = 0; hop < 4; hop++) {
      const key = operation === step.operation ? step.idempotencyKey : `${step.idempotencyKey}_then_${operation}`;
      try {
        await pace();
        const result = await call[operation](this.fulfilment, reference, key);
        return this.succeeded(step, result.action, result.shipment, 'created');
      } catch (error) {
        if (!(error instanceof ProviderFailure) || error.kind !== 'permanent') throw error;
        const state = error.detail.state as ShipmentState | undefined;
        if (error.code === 'too_late' && state && operationFor[state] && operationFor[state] !== operation) {
          operation = operationFor[state]!;
          continue;
        }
        if (
          (error.code === 'already_applied' || error.code === 'invalid_state' || error.code === 'too_late') &&
          state &&
          stoppedStates.includes(state)
        ) {
          return this.alreadyStopped(state, error.message);
        }
        throw error;
      }
    }
    throw new ProviderFailure(
      'fulfilment',
      'transient',
      'state_changing',
      `The shipment ${reference} kept changing state; trying again later`,
    );
  }

  /** In the transaction that records the chunk: each order's fulfilment state as the provider's action left it. */
  async recordFacts(manager: EntityManager, finished: Finished<ShipmentExecution>[]): Promise<FinalResult[]> {
    const changes = finished.flatMap(({ step, execution }) => {
      const state = execution.shipmentState && orderStateAfter[execution.shipmentState];
      return state ? [{ orderId: step.orderId, state }] : [];
    });
    if (changes.length) {
      // Orders locked in id order (the chunk is sorted by step, not by order), as every writer of several orders does.
      await manager.query(
        `WITH wanted AS (SELECT * FROM unnest($1::uuid[], $2::text[]) AS w(id, state)),
              locked AS MATERIALIZED (SELECT o.id FROM orders o JOIN wanted w ON w.id = o.id WHERE o.fulfilment_state <> w.state
                                       ORDER BY o.id FOR NO KEY UPDATE OF o)
         UPDATE orders o SET fulfilment_state = w.state, updated_at = now() FROM locked l JOIN wanted w ON w.id = l.id WHERE o.id = l.id`,
        [changes.map((change) => change.orderId), changes.map((change) => change.state)],
      );
    }
    return finished.map(({ execution }) => execution.result);
  }

  private succeeded(step: ClaimedStep, action: ShipmentAction, shipment: ShipmentRecord, how: 'created' | 'found'): ShipmentExecution {
    const operation = (Object.entries(operationFor).find(([state]) => state === action.fromState)?.[1] ??
      step.operation) as ShipmentOperation;
    return {
      result: {
        status: 'succeeded',
        providerRef: action.id,
        providerStatus: shipment.state,
        operation: operation === step.operation ? undefined : operation,
        outcome: {
          actionId: action.id,
          type: action.type,
          fromState: action.fromState,
          toState: action.toState,
          currency: action.currency,
          ...(action.labelCreditMinor !== undefined ? { labelCreditMinor: action.labelCreditMinor } : {}),
          ...(action.interceptFeeMinor !== undefined ? { interceptFeeMinor: action.interceptFeeMinor } : {}),
          ...(action.returnShippingCostMinor !== undefined ? { returnShippingCostMinor: action.returnShippingCostMinor } : {}),
          ...(operation === step.operation ? {} : { plannedOperation: step.operation }),
          how,
        },
      },
      shipmentState: action.toState,
    };
  }

  private alreadyStopped(state: ShipmentState, message: string): ShipmentExecution {
    return {
      result: { status: 'skipped', providerStatus: state, errorCode: 'already_stopped', errorMessage: `fulfilment: ${message}` },
      shipmentState: state,
    };
  }
}
