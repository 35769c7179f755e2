/** Where an order's goods are. The remediation of each state differs (cancel, void label, intercept, return). */
export const fulfilmentStates = [
  'unfulfilled',
  'label_created',
  'in_transit',
  'delivered',
  'cancelled',
  'intercepted',
  'returned',
] as const;
export type FulfilmentState = (typeof fulfilmentStates)[number];
