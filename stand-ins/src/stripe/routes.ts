import { retrieveCharge, listCharges } from './resources/charges.js';
import type { Endpoint } from './resources/context.js';
import { listDisputes, retrieveDispute } from './resources/disputes.js';
import { listEvents, retrieveEvent } from './resources/events.js';
import { confirmPaymentIntent, createPaymentIntent, listPaymentIntents, retrievePaymentIntent } from './resources/payment-intents.js';
import { retrievePaymentMethod } from './resources/payment-methods.js';
import { createRefund, listRefunds, retrieveRefund } from './resources/refunds.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  retrieveWebhookEndpoint,
  updateWebhookEndpoint,
} from './webhooks/webhook-endpoints.js';

/** The Stripe API surface the stand-in serves; anything else is Stripe's "Unrecognized request URL". */
const routes: { method: 'GET' | 'POST' | 'DELETE'; pattern: string; endpoint: Endpoint }[] = [
  { method: 'POST', pattern: '/v1/payment_intents', endpoint: createPaymentIntent },
  { method: 'GET', pattern: '/v1/payment_intents', endpoint: listPaymentIntents },
  { method: 'GET', pattern: '/v1/payment_intents/:id', endpoint: retrievePaymentIntent },
  { method: 'POST', pattern: '/v1/payment_intents/:id/confirm', endpoint: confirmPaymentIntent },
  { method: 'GET', pattern: '/v1/charges', endpoint: listCharges },
  { method: 'GET', pattern: '/v1/charges/:id', endpoint: retrieveCharge },
  { method: 'POST', pattern: '/v1/refunds', endpoint: createRefund },
  { method: 'GET', pattern: '/v1/refunds', endpoint: listRefunds },
  { method: 'GET', pattern: '/v1/refunds/:id', endpoint: retrieveRefund },
  { method: 'GET', pattern: '/v1/payment_methods/:id', endpoint: retrievePaymentMethod },
  { method: 'GET', pattern: '/v1/disputes', endpoint: listDisputes },
  { method: 'GET', pattern: '/v1/disputes/:id', endpoint: retrieveDispute },
  { method: 'GET', pattern: '/v1/events', endpoint: listEvents },
  { method: 'GET', pattern: '/v1/events/:id', endpoint: retrieveEvent },
  { method: 'POST', pattern: '/v1/webhook_endpoints', endpoint: createWebhookEndpoint },
  { method: 'GET', pattern: '/v1/webhook_endpoints', endpoint: listWebhookEndpoints },
  { method: 'GET', pattern: '/v1/webhook_endpoints/:id', endpoint: retrieveWebhookEndpoint },
  { method: 'POST', pattern: '/v1/webhook_endpoints/:id', endpoint: updateWebhookEndpoint },
  { method: 'DELETE', pattern: '/v1/webhook_endpoints/:id', endpoint: deleteWebhookEndpoint },
];

export function matchRoute(method: string, path: string): { endpoint: Endpoint; pathParams: Record<string, string> } | undefined {
  const segments = path.replace(/\/+$/, '').split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.pattern.split('/');
    if (pattern.length !== segments.length) continue;
    const pathParams: Record<string, string> = {};
    const matches = pattern.every((part, index) => {
      if (part.startsWith(':')) {
        pathParams[part.slice(1)] = decodeURIComponent(segments[index]!);
        return segments[index] !== '';
      }
      return part === segments[index];
    });
    if (matches) return { endpoint: route.endpoint, pathParams };
  }
  return undefined;
}
