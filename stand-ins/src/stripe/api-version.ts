/**
 * The stand-in account's API version: answered when a request names no
 * Stripe-Version (the SDK always sends its own), and the version events are
 * rendered in unless a webhook endpoint was created with another.
 */
export const defaultApiVersion = '2026-10-28.endive';
