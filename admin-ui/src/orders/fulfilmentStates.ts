/** Order fulfilment states as the API reports them (`fulfilmentState`). */
export const FULFILMENT_STATES = [
  'unfulfilled',
  'label_created',
  'in_transit',
  'delivered',
  'cancelled',
  'intercepted',
  'returned',
] as const;

export type FulfilmentState = (typeof FULFILMENT_STATES)[number];

/** Chip colours: goods still at the merchant are neutral; goods gone are the costly case. */
export const FULFILMENT_STATE_COLOR: Record<FulfilmentState, 'default' | 'info' | 'primary' | 'success' | 'secondary' | 'warning'> = {
  unfulfilled: 'default',
  label_created: 'info',
  in_transit: 'primary',
  delivered: 'success',
  cancelled: 'default',
  intercepted: 'secondary',
  returned: 'warning',
};

/** Choices for SelectArrayInput; names are translation keys. */
export const fulfilmentStateChoices = FULFILMENT_STATES.map((id) => ({ id, name: `resources.orders.states.${id}` }));
