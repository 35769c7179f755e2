import { cannotExpand } from '../errors/errors.js';
import type { AnyObject, Charge } from '../state/objects.js';
import type { Store } from '../state/store.js';
import type { ListObject } from './lists.js';

/**
 * `expand[]`: replaces an id field with the object it names, recursively for
 * dotted paths (`latest_charge.payment_intent`), on a copy — stored objects
 * always keep ids. Only the expansions Stripe offers on these fields exist.
 */
type Expander = (object: AnyObject, store: Store) => unknown;

const byId =
  (kind: 'charge' | 'payment_intent' | 'payment_method', field: string): Expander =>
  (object, store) => {
    const id = (object as unknown as Record<string, unknown>)[field];
    return typeof id === 'string' ? (store.get(kind, id) ?? id) : id;
  };

const expanders: Record<string, Record<string, Expander>> = {
  payment_intent: { latest_charge: byId('charge', 'latest_charge'), payment_method: byId('payment_method', 'payment_method') },
  charge: {
    payment_intent: byId('payment_intent', 'payment_intent'),
    // Since API version 2022-11-15 a charge's refunds come only when expanded.
    refunds: (object, store) => chargeRefunds(object as Charge, store),
  },
  refund: { charge: byId('charge', 'charge'), payment_intent: byId('payment_intent', 'payment_intent') },
  payment_method: {},
  dispute: { charge: byId('charge', 'charge'), payment_intent: byId('payment_intent', 'payment_intent') },
  event: {},
  webhook_endpoint: {},
};

export function expand<T extends AnyObject>(object: T, paths: string[], store: Store): T {
  if (paths.length === 0) return object;
  const byField = new Map<string, string[]>();
  for (const path of paths) {
    const [field, ...rest] = path.split('.');
    const expander = expanders[object.object]?.[field!];
    if (!expander) throw cannotExpand(path);
    byField.set(field!, [...(byField.get(field!) ?? []), ...(rest.length ? [rest.join('.')] : [])]);
  }
  const copy: Record<string, unknown> = { ...object };
  for (const [field, rest] of byField) {
    const value = expanders[object.object]![field]!(object, store);
    copy[field] = value && typeof value === 'object' && 'object' in value && rest.length ? expandAny(value, rest, store) : value;
  }
  return copy as T;
}

/** On list endpoints expansions are written `data.<field>`. */
export function expandList<T extends AnyObject>(list: ListObject<T>, paths: string[], store: Store): ListObject<T> {
  if (paths.length === 0) return list;
  const inner = paths.map((path) => {
    if (!path.startsWith('data.')) throw cannotExpand(path);
    return path.slice('data.'.length);
  });
  return { ...list, data: list.data.map((item) => expand(item, inner, store)) };
}

function expandAny(value: object, paths: string[], store: Store): unknown {
  const object = value as { object: string };
  if (object.object === 'list') return expandList(value as ListObject<AnyObject>, paths, store);
  return expand(value as AnyObject, paths, store);
}

function chargeRefunds(charge: Charge, store: Store): ListObject<AnyObject> {
  const ids = store.ids('refund', { charge: charge.id });
  const data = ids
    .slice(-10)
    .reverse()
    .map((id) => store.get('refund', id)!);
  return { object: 'list', data, has_more: ids.length > 10, url: `/v1/charges/${charge.id}/refunds` };
}
