// UI text for this resource, merged into en.ts under resources.detection-rules.
export const detectionRulesMessages = {
  name: 'Detection rule |||| Detection rules',
  fields: {
    id: 'ID',
    title: 'Rule',
    description: 'What it looks for',
    enabled: 'Enabled',
    thresholds: 'Thresholds',
    updatedAt: 'Last changed',
    reason: 'Reason',
  },
  sections: {
    thresholds: 'Thresholds',
  },
  range: 'Allowed %{min} to %{max}',
  thresholds: {
    windowHours: { label: 'Window', value: '%{value} h', hint: 'Hours of recent orders each pass looks at' },
    baselineDays: { label: 'Baseline', value: '%{value} days', hint: 'Days of history before the window that count as usual' },
    minOrders: { label: 'Minimum orders', value: '%{value}', hint: 'Orders a device must place in the window' },
    minDevices: { label: 'Minimum devices', value: '%{value}', hint: 'Devices of one model and firmware ordering the same SKU' },
    minCustomers: { label: 'Minimum customers', value: '%{value}', hint: 'Different customers shipping to one new address' },
    minBaselineOrders: {
      label: 'Minimum baseline orders',
      value: '%{value}',
      hint: 'Orders a model needs in the baseline before outliers are judged',
    },
    factor: { label: 'Factor', value: '× %{value}', hint: 'How many times the usual level counts as suspicious' },
  },
  helpers: {
    enabled: 'A disabled rule is skipped by every detection pass',
    reason: 'Optional; goes into the audit log',
    next_pass: 'Changes apply from the next detection pass (scheduled, or “Run detection now” on the proposals queue).',
  },
  validation: {
    whole_number: 'Must be a whole number',
  },
};
