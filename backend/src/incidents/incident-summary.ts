import { formatMoney } from '../money/money.js';
import { humanDuration, type IncidentMetrics } from './incident-metrics.js';
import type { CurrencyValue } from './incidents-query.service.js';

/** Everything the post-incident summary is written from. */
export interface SummaryInput {
  reference: string;
  title: string;
  severity: string;
  status: string;
  commanderEmail: string | null;
  proposalId: string | null;
  proposalEvidence: unknown;
  summary: string | null;
  startedAt: Date | null;
  detectedAt: Date | null;
  declaredAt: Date | null;
  triageAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  metrics: IncidentMetrics;
  members: { suspected: number; confirmed: number; excluded: number };
  value: { confirmed: CurrencyValue[]; suspected: CurrencyValue[] };
  devices: number;
  devicesByModel: { model: string | null; firmware: string | null; devices: number; orders: number }[];
  /** Oldest first. */
  timeline: { at: Date; actorEmail: string | null; message: string }[];
  timelineTotal: number;
}

const when = (at: Date | null) => (at ? new Date(at).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '—');
/** Table cells must not break the table. */
const cell = (text: string | null) => (text ?? '—').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/**
 * The post-incident summary as Markdown, written from the incident's own
 * data so nobody retypes figures: what happened, when, the scope and its value
 * per currency (never summed across currencies), the actions taken, and the
 * commander's written summary.
 */
export function renderIncidentSummary(s: SummaryInput): string {
  const out: string[] = [];
  out.push(`# ${s.reference}: ${s.title}`, '');
  out.push(`Severity: **${s.severity}** · Status: **${s.status}** · Commander: ${s.commanderEmail ?? 'none'}`, '');

  out.push('## What happened', '');
  out.push(s.proposalId ? `Declared from detection proposal \`${s.proposalId}\`.` : 'Declared by hand from an order filter.', '');
  if (s.proposalEvidence !== null && s.proposalEvidence !== undefined) {
    out.push('Evidence when it was declared:', '', '```json', JSON.stringify(s.proposalEvidence, null, 2), '```', '');
  }

  out.push('## When', '', '| moment | time |', '| --- | --- |');
  const moments: [string, Date | null][] = [
    ['Started (first fraudulent order)', s.startedAt],
    ['Detected', s.detectedAt],
    ['Declared', s.declaredAt],
    ['Triage', s.triageAt],
    ['Mitigated (monitoring)', s.mitigatedAt],
    ['Resolved', s.resolvedAt],
    ['Closed', s.closedAt],
  ];
  for (const [label, at] of moments) out.push(`| ${label} | ${when(at)} |`);
  out.push('');
  out.push(`- Time to detect: ${humanDuration(s.metrics.timeToDetectSeconds)}`);
  out.push(`- Time to mitigate: ${humanDuration(s.metrics.timeToMitigateSeconds)}`);
  out.push(`- Time to resolve: ${humanDuration(s.metrics.timeToResolveSeconds)}`, '');

  out.push('## Scope', '', '| membership | orders |', '| --- | --- |');
  out.push(`| Confirmed | ${s.members.confirmed} |`, `| Suspected | ${s.members.suspected} |`, `| Excluded | ${s.members.excluded} |`, '');
  out.push('Order value per currency:', '', '| membership | currency | orders | value |', '| --- | --- | --- | --- |');
  const values = [...s.value.confirmed.map((v) => ['Confirmed', v] as const), ...s.value.suspected.map((v) => ['Suspected', v] as const)];
  for (const [label, v] of values) {
    out.push(`| ${label} | ${v.currency} | ${v.orders} | ${formatMoney({ amountMinor: v.totalMinor, currency: v.currency })} |`);
  }
  if (!values.length) out.push('| — | — | 0 | — |');
  out.push('', `Devices involved: ${s.devices}`, '');
  if (s.devicesByModel.length) {
    out.push('| model | firmware | devices | orders |', '| --- | --- | --- | --- |');
    for (const m of s.devicesByModel) out.push(`| ${cell(m.model)} | ${cell(m.firmware)} | ${m.devices} | ${m.orders} |`);
    out.push('');
  }

  out.push('## Cost', '', 'Loss ledger not yet available.', '');

  out.push('## Actions', '');
  for (const event of s.timeline)
    out.push(`- ${when(event.at)} (${event.actorEmail ?? 'system'}): ${event.message.replace(/\r?\n/g, ' ')}`);
  if (s.timelineTotal > s.timeline.length) out.push(`- … and ${s.timelineTotal - s.timeline.length} later events (see the timeline)`);
  out.push('');

  out.push('## Post-incident summary', '', s.summary?.trim() || '_Not written yet._', '');
  return out.join('\n');
}
