/**
 * The order filter shared by the orders list and every "all orders matching
 * this filter" action (declaring an incident, changing its members): the
 * orders list's query keys, so a filter the orders list shows as N orders
 * selects exactly those N (backend/src/orders/orders.schemas.ts).
 */
export const ORDER_FILTER_KEYS = [
  'q',
  'id',
  'fulfilmentState',
  'deviceId',
  'model',
  'firmware',
  'customerId',
  'sku',
  'currency',
  'totalMin',
  'totalMax',
  'placedFrom',
  'placedTo',
  'held',
  'incidentId',
  'inNoIncident',
] as const;

export type OrderFilter = Partial<Record<(typeof ORDER_FILTER_KEYS)[number], unknown>>;

const isEmpty = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** Only the order filter keys of `values`, without empty ones (an empty input means "any"). */
export function cleanOrderFilter(values: Record<string, unknown> | undefined): OrderFilter {
  const filter: OrderFilter = {};
  for (const key of ORDER_FILTER_KEYS) {
    const value = values?.[key];
    if (!isEmpty(value)) filter[key] = value;
  }
  return filter;
}

/** A stable text for a filter, to tell whether the one counted is still the one on screen. */
export const filterKey = (filter: OrderFilter) =>
  JSON.stringify(ORDER_FILTER_KEYS.filter((key) => key in filter).map((key) => [key, filter[key]]));

export const INCIDENT_CREATE_PATH = '/incidents/create';

/**
 * Link to the declare view with an order filter filled in. react-admin's
 * create view reads its initial values from `?source=<json>`, so the filter
 * survives a reload and can be shared.
 */
export function declareFromFilterLink(filter: OrderFilter) {
  return { pathname: INCIDENT_CREATE_PATH, search: `?source=${encodeURIComponent(JSON.stringify(filter))}` };
}
