// UI text for the finance dashboard (a custom route, /finance), merged into en.ts
// under resources.finance. Category names come from resources.ledger.categories.
export const financeMessages = {
  name: 'Finance',
  menu: 'Finance',
  title: 'Finance: incident losses',
  intro:
    'What incidents cost in a date range, by when each money event occurred (UTC days, both ends included), per currency. Currencies are never added together.',
  fields: {
    from: 'From',
    to: 'To',
    currency: 'Currency',
    all_currencies: 'All currencies',
  },
  helpers: {
    range: 'At most 366 days',
  },
  actions: {
    export: 'Export CSV',
    last_30_days: 'Last 30 days',
  },
  export_hint: 'One line per ledger entry of the range; the export is recorded in the audit log.',
  sections: {
    totals: 'Totals per currency and category',
    chart: 'Loss by category',
    incidents: 'Incidents',
  },
  totals: {
    category: 'Category',
  },
  incidents: {
    incident: 'Incident',
    title: 'Title',
    status: 'Status',
    currency: 'Currency',
    cost: 'Cost',
    recovered: 'Recovered',
    net_loss: 'Net loss',
    entries: 'Entries',
  },
  empty: 'No money moved for an incident in this range.',
};
