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
import type { StepExecution, StepExecutor } from './step-runner.js';
import type { ClaimedStep } from './step-store.js';

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
export class ShipmentExecutor implements StepExecutor {
  constructor(@Inject(FULFILMENT_PROVIDER) private readonly fulfilment: FulfilmentProvider) {}

  async execute(step: ClaimedStep): Promise<StepExecution> {
    const reference = shipmentReference({ id: step.orderId });
    if (step.earlierAttempts > 0) {
      const shipment = await this.fulfilment.getShipment(reference);
      const ours = shipment.actions.find((action) => action.idempotencyKey.startsWith(step.idempotencyKey));
      if (ours) return this.succeeded(step, ours, shipment, 'found');
    }

    let operation = step.operation as ShipmentOperation;
    for (let hop = 0; hop < 4; hop++) {
      const key = operation === step.operation ? step.idempotencyKey : `${step.idempotencyKey}_then_${operation}`;
      try {
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
          return this.alreadyStopped(step, state, error.message);
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

  private succeeded(step: ClaimedStep, action: ShipmentAction, shipment: ShipmentRecord, how: 'created' | 'found'): StepExecution {
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
      alsoIn: (manager) => updateOrderState(manager, step.orderId, action.toState),
    };
  }

  private alreadyStopped(step: ClaimedStep, state: ShipmentState, message: string): StepExecution {
    return {
      result: { status: 'skipped', providerStatus: state, errorCode: 'already_stopped', errorMessage: `fulfilment: ${message}` },
      alsoIn: (manager) => updateOrderState(manager, step.orderId, state),
    };
  }
}

async function updateOrderState(manager: EntityManager, orderId: string, shipmentState: ShipmentState): Promise<void> {
  const state = orderStateAfter[shipmentState];
  if (!state) return;
  await manager.query(`UPDATE orders SET fulfilment_state = $2, updated_at = now() WHERE id = $1 AND fulfilment_state <> $2`, [
    orderId,
    state,
  ]);
}
