// UI text for the incident's loss ledger (the cockpit's Ledger tab), merged into
// en.ts under resources.ledger; its reconciliation reports under
// resources.reconciliations. Counts come as smart_count (picks the plural) and
// count (the same number with the locale's grouping).
export const ledgerMessages = {
  name: 'Ledger entry |||| Ledger entries',
  tab: {
    label: 'Ledger',
    title: 'Loss ledger',
    intro:
      'Every money event of this incident, per currency: costs are positive, money or value that came back negative. Net loss is their sum; currencies are never added together.',
    empty: 'Nothing booked yet: the ledger fills in as orders are stopped, refunded or disputed.',
  },
  figures: {
    cost: 'Cost',
    recovered: 'Recovered',
    net_loss: 'Net loss',
    entries: '%{count} entry |||| %{count} entries',
    currency_title: 'In %{currency}',
  },
  categories: {
    goods_lost: 'Goods lost',
    outbound_shipping: 'Outbound shipping',
    label_credit: 'Label credit',
    intercept_fee: 'Intercept fee',
    return_shipping: 'Return shipping',
    refund_issued: 'Refund issued',
    refund_reversed: 'Refund reversed',
    provider_fee_not_returned: 'Provider fee not returned',
    dispute_amount: 'Dispute amount',
    dispute_fee: 'Dispute fee',
    goods_recovered: 'Goods recovered',
  },
  source_types: {
    order: 'Order',
    step: 'Remediation step',
    refund: 'Refund',
    refund_failure: 'Refund failure',
    dispute: 'Dispute',
    dispute_reinstatement: 'Dispute reinstatement',
  },
  charts: {
    by_category: 'Loss by category',
    by_category_intro: 'Costs to the right, money that came back to the left.',
    no_categories: 'No amounts in %{currency}.',
    recovery: 'Recovery over time',
    recovery_intro: 'Per %{bucket} (UTC), only those with entries: refunds net of failures, and the net loss so far.',
    bucket_label: 'Bucket',
    buckets: { day: 'Day', hour: 'Hour' },
    bucket_names: { day: 'day', hour: 'hour' },
    refunded: 'Refunded in the %{bucket}',
    cumulative: 'Net loss so far',
    recovery_aria:
      'Recovery over time in %{currency}: %{smart_count} bucket, net loss so far %{net} |||| Recovery over time in %{currency}: %{smart_count} buckets, net loss so far %{net}',
    show_data: 'Show the figures',
    at: 'Bucket (UTC)',
    cost: 'Cost',
    recovered: 'Recovered',
    net: 'Net',
  },
  entries: {
    title: 'Entries',
    empty: 'No entries match these filters.',
    all: 'All',
    clear: 'Clear filters',
  },
  fields: {
    occurredAt: 'Occurred',
    recordedAt: 'Recorded',
    order: 'Order',
    category: 'Category',
    currency: 'Currency',
    amountMinor: 'Amount',
    sourceType: 'Source',
    providerRef: 'Provider reference',
    run: 'Run',
  },
};

export const reconciliationsMessages = {
  name: 'Reconciliation |||| Reconciliations',
  title: 'Reconciliation with Stripe',
  intro:
    "Lists the provider's refunds of this incident's payments and compares them, refund by refund, with the ledger. It reads the provider and moves no money.",
  empty: 'No reconciliation yet.',
  actions: {
    reconcile: 'Reconcile with Stripe',
    show: 'Show',
  },
  dialog: {
    title: 'Reconcile with Stripe',
    intro: "The provider's refunds are listed and compared with the ledger in the background; the report appears here.",
    reason: 'Reason',
    reason_hint: 'Recorded in the audit log.',
    submit: 'Reconcile',
  },
  notifications: {
    requested: 'Reconciliation #%{number} requested',
  },
  statuses: {
    queued: 'Queued',
    running: 'Running',
    completed: 'Completed',
    failed: 'Failed',
  },
  progress: {
    queued: 'Reconciliation #%{number} is queued…',
    running: "Reconciliation #%{number} is listing the provider's refunds…",
  },
  report: {
    title: 'Report #%{number}',
    requested_by: 'requested by %{who}',
    failed: 'The reconciliation failed: %{message}',
    differences: 'Differences',
    totals: 'Money back per currency',
    scope:
      '%{payments} payments looked at (%{strategy}); %{providerRefunds} refunds at the provider, %{ledgerRefunds} in the ledger, %{matched} matching.',
    strategies: { per_payment: 'per payment', by_date: 'by date', auto: 'automatic' },
  },
  kinds: {
    missing: 'Missing at the provider',
    extra: 'Extra at the provider',
    amount_mismatch: 'Amount mismatch',
  },
  kind_counts: {
    missing: '%{count} missing',
    extra: '%{count} extra',
    amount_mismatch: '%{count} mismatched',
  },
  fields: {
    number: 'Report',
    requestedAt: 'Requested',
    requestedBy: 'By',
    status: 'Status',
    result: 'Result',
    kind: 'Difference',
    refund: 'Refund',
    order: 'Order',
    ledger: 'Ledger',
    provider: 'Provider',
    providerStatus: 'Provider status',
    currency: 'Currency',
  },
  values: {
    clean: 'Clean',
    none: '—',
    system: 'system',
  },
  earlier: 'Earlier reports',
};
