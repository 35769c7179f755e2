import {
  invalidEnabledEvent,
  invalidMetadata,
  invalidUrl,
  missingParam,
  noSuch,
  notModelled,
  tooManyWebhookEndpoints,
} from '../errors/errors.js';
import type { ParamMap } from '../http/form-params.js';
import { newId } from '../ids.js';
import type { Endpoint } from '../resources/context.js';
import { expand, expandList } from '../resources/expand.js';
import { listPage, listParams } from '../resources/lists.js';
import {
  expandParam,
  listParam,
  metadataParam,
  optionalBoolean,
  optionalString,
  rejectUnknown,
  requiredString,
} from '../resources/params.js';
import type { Metadata, WebhookEndpoint } from '../state/objects.js';
import type { Store } from '../state/store.js';
import { stripeEventTypes } from './event-types.js';
import { newEndpointSecret } from './signature.js';

/** Stripe's limit per account and mode. */
const maximumEndpoints = 16;

/**
 * /v1/webhook_endpoints — where events are POSTed. The signing secret is
 * answered once, by create, as on Stripe; later reads leave it out.
 * Unlike Stripe, URLs on 127.0.0.1 are welcome: that is where the tests listen.
 */
export const createWebhookEndpoint: Endpoint = ({ params, store, change, now }) => {
  rejectUnknown(params, ['url', 'enabled_events', 'api_version', 'connect', 'description', 'metadata', 'expand']);
  const url = urlParam(params);
  const enabledEvents = enabledEventsParam(params);
  if (optionalBoolean(params, 'connect')) throw notModelled('connect', 'true');
  const apiVersion = optionalString(params, 'api_version') ?? null;
  if (apiVersion !== null && !/^\d{4}-\d{2}-\d{2}(\.\w+)?$/.test(apiVersion))
    throw invalidMetadata(`Invalid api_version: ${apiVersion}`, 'api_version');
  if (store.counts().webhook_endpoint >= maximumEndpoints) throw tooManyWebhookEndpoints(maximumEndpoints);
  const endpoint = change.put('webhook_endpoint', {
    id: newId('we'),
    object: 'webhook_endpoint',
    api_version: apiVersion,
    application: null,
    created: now,
    description: optionalString(params, 'description') || null,
    enabled_events: enabledEvents,
    livemode: false,
    metadata: metadataParam(params),
    secret: newEndpointSecret(),
    status: 'enabled',
    url,
  });
  return expand(endpoint, expandParam(params), store);
};

export const retrieveWebhookEndpoint: Endpoint = ({ params, pathParams, store }) => {
  rejectUnknown(params, ['expand']);
  return withoutSecret(expand(find(store, pathParams.id!), expandParam(params), store));
};

export const updateWebhookEndpoint: Endpoint = ({ params, pathParams, store, change }) => {
  rejectUnknown(params, ['url', 'enabled_events', 'disabled', 'description', 'metadata', 'expand']);
  const endpoint = find(store, pathParams.id!);
  const disabled = optionalBoolean(params, 'disabled');
  const updated = change.put('webhook_endpoint', {
    ...endpoint,
    url: params.url === undefined ? endpoint.url : urlParam(params),
    enabled_events: params.enabled_events === undefined ? endpoint.enabled_events : enabledEventsParam(params),
    description: params.description === undefined ? endpoint.description : optionalString(params, 'description') || null,
    metadata: mergeMetadata(endpoint.metadata, params),
    status: disabled === undefined ? endpoint.status : disabled ? 'disabled' : 'enabled',
  });
  return withoutSecret(expand(updated, expandParam(params), store));
};

export const deleteWebhookEndpoint: Endpoint = ({ params, pathParams, store, change }) => {
  rejectUnknown(params, []);
  const endpoint = find(store, pathParams.id!);
  change.remove('webhook_endpoint', endpoint.id);
  return { id: endpoint.id, object: 'webhook_endpoint', deleted: true };
};

export const listWebhookEndpoints: Endpoint = ({ params, store }) => {
  rejectUnknown(params, listParams);
  const page = expandList(
    listPage('webhook_endpoint', store.ids('webhook_endpoint'), params, '/v1/webhook_endpoints', store),
    expandParam(params),
    store,
  );
  return { ...page, data: page.data.map(withoutSecret) };
};

function withoutSecret(endpoint: WebhookEndpoint): Omit<WebhookEndpoint, 'secret'> {
  const { secret: _secret, ...rest } = endpoint;
  return rest;
}

function find(store: Store, id: string): WebhookEndpoint {
  const endpoint = store.get('webhook_endpoint', id);
  if (!endpoint) throw noSuch('webhook endpoint', id, 'id');
  return endpoint;
}

function urlParam(params: ParamMap): string {
  const raw = requiredString(params, 'url');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidUrl('url', raw);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidUrl('url', raw);
  return raw;
}

function enabledEventsParam(params: ParamMap): string[] {
  const events = listParam(params, 'enabled_events');
  if (events.length === 0) throw missingParam('enabled_events');
  events.forEach((type, index) => {
    if (type !== '*' && !stripeEventTypes.has(type)) throw invalidEnabledEvent(index, type);
  });
  return [...new Set(events)];
}

/** Update merges metadata key by key; an empty value unsets a key, `metadata=` unsets all. */
function mergeMetadata(current: Metadata, params: ParamMap): Metadata {
  if (params.metadata === undefined) return current;
  if (params.metadata === '') return {};
  const merged = { ...current };
  const raw = params.metadata;
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [key, value] of Object.entries(raw)) if (value === '') delete merged[key];
  }
  return { ...merged, ...metadataParam(params) };
}
