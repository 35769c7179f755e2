import type { DataProvider, Identifier } from 'react-admin';
import type { OrderImportMode, OrderImportParams, OrderImportResponse } from '../orders/import/types';
import { changedFields } from './changedFields';
import { http } from './http';
import { toSearchParams } from './queryString';

const API = '/api';

/**
 * A record as JSON from the server. Deliberately `any`: each resource's shape
 * is typed by react-admin's generic RecordType at the call site, which a
 * concrete type here could not satisfy.
 */
type ApiRecord = any;

/** Shape of every list endpoint (`GET /api/<resource>`). */
interface ListResponse {
  data: ApiRecord[];
  total: number;
}

const resourceUrl = (resource: string) => `${API}/${resource}`;
const recordUrl = (resource: string, id: Identifier) => `${API}/${resource}/${encodeURIComponent(String(id))}`;

interface ListQuery {
  pagination?: { page: number; perPage: number };
  sort?: { field: string; order: 'ASC' | 'DESC' | string };
  filter?: Record<string, unknown>;
}

function listUrl(resource: string, { pagination, sort, filter }: ListQuery): string {
  const params = toSearchParams({
    _page: pagination?.page,
    _perPage: pagination?.perPage,
    _sort: sort?.field,
    _order: sort?.order,
    ...filter,
  });
  const query = params.toString();
  return query ? `${resourceUrl(resource)}?${query}` : resourceUrl(resource);
}

async function getListFrom(url: string, signal?: AbortSignal) {
  const { json } = await http<ListResponse>(url, { signal });
  return { data: json.data, total: json.total };
}

/** The standard methods plus the API's non-CRUD calls (use with `useDataProvider<AppDataProvider>()`). */
export interface AppDataProvider extends DataProvider {
  /**
   * `POST /api/orders/import?mode=preview|valid-only` with the CSV file as the
   * raw body. Called through useDataProvider so a 401 logs the user out like
   * any other call.
   */
  importOrders<M extends OrderImportMode>(params: OrderImportParams<M>): Promise<{ data: OrderImportResponse<M> }>;
  /**
   * Any non-CRUD endpoint under /api, e.g. `call({ method: 'POST', path:
   * 'incidents/ID/transition', body })`. Going through the data provider (not
   * `http` directly) makes a 401 log the user out like every other call.
   */
  call<T = ApiRecord>(params: ApiCallParams): Promise<{ data: T }>;
}

export interface ApiCallParams {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below /api without a leading slash; ids must already be encoded (see `apiPath`). */
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  signal?: AbortSignal;
}

/** Joins path segments below /api, encoding each (ids may hold any character). */
export const apiPath = (...segments: Array<string | number>) => segments.map((s) => encodeURIComponent(String(s))).join('/');

/**
 * REST data provider for the Recovery Desk API (contract: admin-ui/README.md):
 * `{ data, total }` lists, PATCH with changed fields only, server errors
 * surfaced as HttpError with per-field `body.errors`.
 */
export const dataProvider: AppDataProvider = {
  supportAbortSignal: true,

  getList: (resource, params) => getListFrom(listUrl(resource, params), params.signal),

  getOne: async (resource, params) => {
    const { json } = await http<ApiRecord>(recordUrl(resource, params.id), { signal: params.signal });
    return { data: json };
  },

  getMany: (resource, params) => getListFrom(`${resourceUrl(resource)}?${toSearchParams({ id: params.ids })}`, params.signal),

  getManyReference: (resource, params) =>
    getListFrom(listUrl(resource, { ...params, filter: { ...params.filter, [params.target]: params.id } }), params.signal),

  create: async (resource, params) => {
    const { json } = await http<ApiRecord>(resourceUrl(resource), { method: 'POST', body: params.data });
    return { data: json };
  },

  update: async (resource, params) => {
    const body = changedFields(params.data, params.previousData);
    // Nothing changed: skip the request so no empty audit entry is written.
    if (Object.keys(body).length === 0) return { data: params.previousData };
    const { json } = await http<ApiRecord>(recordUrl(resource, params.id), { method: 'PATCH', body });
    return { data: json };
  },

  updateMany: async (resource, params) => {
    // The API has no bulk endpoints; one request per record keeps one audit entry each.
    for (const id of params.ids) {
      await http(recordUrl(resource, id), { method: 'PATCH', body: params.data });
    }
    return { data: params.ids };
  },

  delete: async (resource, params) => {
    const { json } = await http<ApiRecord>(recordUrl(resource, params.id), { method: 'DELETE' });
    // 204 No Content is fine: react-admin only needs the deleted record back.
    return { data: json ?? params.previousData ?? { id: params.id } };
  },

  deleteMany: async (resource, params) => {
    for (const id of params.ids) {
      await http(recordUrl(resource, id), { method: 'DELETE' });
    }
    return { data: params.ids };
  },

  importOrders: async <M extends OrderImportMode>({ mode, file, reason, signal }: OrderImportParams<M>) => {
    const query = toSearchParams({ mode, reason: reason?.trim() });
    const { json } = await http<OrderImportResponse<M>>(`${resourceUrl('orders')}/import?${query}`, {
      method: 'POST',
      raw: { data: file, contentType: 'text/csv' },
      signal,
    });
    return { data: json };
  },

  call: async ({ method = 'GET', path, query, body, signal }: ApiCallParams) => {
    const search = query ? toSearchParams(query).toString() : '';
    const { json } = await http<ApiRecord>(`${API}/${path}${search ? `?${search}` : ''}`, { method, body, signal });
    return { data: json };
  },
};
