import { noSuch } from '../errors/errors.js';
import type { Endpoint } from './context.js';
import { expand, expandList } from './expand.js';
import { listPage, listParams } from './lists.js';
import { expandParam, optionalString, rejectUnknown } from './params.js';

/**
 * GET /v1/disputes and /v1/disputes/:id. Disputes are opened and closed by
 * the card network, which the stand-in plays through its control API
 * (bank/disputes.ts); the API only reads them, as finance reconciles them.
 */
export const retrieveDispute: Endpoint = ({ params, pathParams, store }) => {
  rejectUnknown(params, ['expand']);
  const dispute = store.get('dispute', pathParams.id!);
  if (!dispute) throw noSuch('dispute', pathParams.id!, 'dispute');
  return expand(dispute, expandParam(params), store);
};

export const listDisputes: Endpoint = ({ params, store }) => {
  rejectUnknown(params, [...listParams, 'charge', 'payment_intent']);
  const charge = optionalString(params, 'charge');
  const paymentIntent = optionalString(params, 'payment_intent');
  const ids = charge
    ? store.ids('dispute', { charge })
    : paymentIntent
      ? store.ids('dispute', { payment_intent: paymentIntent })
      : store.ids('dispute');
  const page = listPage(
    'dispute',
    ids,
    params,
    '/v1/disputes',
    store,
    (dispute) => !paymentIntent || dispute.payment_intent === paymentIntent,
  );
  return expandList(page, expandParam(params), store);
};
