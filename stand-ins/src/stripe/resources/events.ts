import { bothGiven, integerTooLarge, noSuch } from '../errors/errors.js';
import type { StripeEvent } from '../state/objects.js';
import type { Store } from '../state/store.js';
import type { Endpoint } from './context.js';
import { expand, expandList } from './expand.js';
import { listPage, listParams } from './lists.js';
import { expandParam, listParam, optionalBoolean, optionalString, rejectUnknown } from './params.js';

/**
 * GET /v1/events and /v1/events/:id: the events the stand-in made, newest
 * first, `pending_webhooks` as it stands now. A consumer that missed a webhook
 * (it was down past the last retry) catches up from here, as on Stripe.
 */
export const retrieveEvent: Endpoint = ({ params, pathParams, store }) => {
  rejectUnknown(params, ['expand']);
  const event = store.get('event', pathParams.id!);
  if (!event) throw noSuch('event', pathParams.id!, 'id');
  return expand(withPending(event, store), expandParam(params), store);
};

export const listEvents: Endpoint = ({ params, store }) => {
  rejectUnknown(params, [...listParams, 'type', 'types', 'delivery_success']);
  const type = optionalString(params, 'type');
  const types = listParam(params, 'types');
  if (type && types.length) throw bothGiven('type', 'types');
  if (types.length > 20) throw integerTooLarge('types', 20);
  const deliverySuccess = optionalBoolean(params, 'delivery_success');
  const typeMatches = type ? typePattern(type) : types.length ? (candidate: string) => types.includes(candidate) : () => true;
  const page = listPage(
    'event',
    store.ids('event'),
    params,
    '/v1/events',
    store,
    (event) => typeMatches(event.type) && (deliverySuccess === undefined || (store.pendingWebhooks(event.id) === 0) === deliverySuccess),
  );
  return expandList({ ...page, data: page.data.map((event) => withPending(event, store)) }, expandParam(params), store);
};

function withPending(event: StripeEvent, store: Store): StripeEvent {
  return { ...event, pending_webhooks: store.pendingWebhooks(event.id) };
}

/** `type=charge.dispute.*`: Stripe's wildcard for a group of events. */
function typePattern(type: string): (candidate: string) => boolean {
  if (!type.includes('*')) return (candidate) => candidate === type;
  const pattern = new RegExp(`^${type.split('*').map(escapeRegExp).join('.*')}$`);
  return (candidate) => pattern.test(candidate);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
