import { bothGiven, noSuch } from '../errors/errors.js';
import type { ParamMap } from '../http/form-params.js';
import type { Kind, ObjectsByKind } from '../state/objects.js';
import type { Store } from '../state/store.js';
import { optionalInteger, optionalString } from './params.js';

export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/** The parameters every Stripe list endpoint takes, besides its own filters. */
export const listParams = ['limit', 'starting_after', 'ending_before', 'created', 'expand'] as const;

/**
 * One page of a Stripe list, newest first. `ids` are the candidates oldest
 * first (a store index); `keep` applies any further filter. Cursors are
 * object ids and may name any object, so positions come from the store's
 * creation order — found by binary search, as a bench may page through 100k refunds.
 */
export function listPage<K extends Kind>(
  kind: K,
  ids: readonly string[],
  params: ParamMap,
  url: string,
  store: Store,
  keep: (object: ObjectsByKind[K]) => boolean = () => true,
): ListObject<ObjectsByKind[K]> {
  const limit = optionalInteger(params, 'limit', { min: 1, max: 100 }) ?? 10;
  const startingAfter = optionalString(params, 'starting_after');
  const endingBefore = optionalString(params, 'ending_before');
  if (startingAfter && endingBefore) throw bothGiven('starting_after', 'ending_before');
  const created = createdFilter(params);
  const matches = (id: string) => {
    const object = store.get(kind, id)!;
    return created(object.created) && keep(object);
  };

  const data: ObjectsByKind[K][] = [];
  let hasMore = false;
  if (endingBefore) {
    // Newer than the cursor, the `limit` closest to it, answered newest first.
    for (let i = firstAfter(ids, position(endingBefore, 'ending_before', store, kind), store); i < ids.length; i++) {
      if (!matches(ids[i]!)) continue;
      if (data.length === limit) {
        hasMore = true;
        break;
      }
      data.push(store.get(kind, ids[i]!)!);
    }
    data.reverse();
  } else {
    const end = startingAfter ? firstAfter(ids, position(startingAfter, 'starting_after', store, kind) - 1, store) : ids.length;
    for (let i = end - 1; i >= 0; i--) {
      if (!matches(ids[i]!)) continue;
      if (data.length === limit) {
        hasMore = true;
        break;
      }
      data.push(store.get(kind, ids[i]!)!);
    }
  }
  return { object: 'list', data, has_more: hasMore, url };
}

function position(id: string, param: string, store: Store, kind: string): number {
  const sequence = store.sequenceOf(id);
  if (sequence === undefined) throw noSuch(kind, id, param, 400);
  return sequence;
}

/** Index of the first id created after `sequence` (ids are in creation order). */
function firstAfter(ids: readonly string[], sequence: number, store: Store): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (store.sequenceOf(ids[middle]!)! <= sequence) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** `created=1700000000` or `created[gte]=…&created[lt]=…`. */
function createdFilter(params: ParamMap): (created: number) => boolean {
  const raw = params.created;
  if (raw === undefined) return () => true;
  if (typeof raw === 'string') {
    const exact = optionalInteger(params, 'created')!;
    return (created) => created === exact;
  }
  const range = raw as ParamMap;
  const bound = (name: string) => optionalInteger(range, name);
  const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
  return (created) =>
    (gt === undefined || created > gt) &&
    (gte === undefined || created >= gte) &&
    (lt === undefined || created < lt) &&
    (lte === undefined || created <= lte);
}
