import { ConflictException, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { ProposalsService } from '../detection/proposals.service.js';
import { incidentReference, stampedOnEntry, transitionProblem, type IncidentStatus, type MembershipStatus } from './incident-lifecycle.js';
import { assertNoConflicts, refreshStartedAt, resolveSelection, writeMembers, type OrderSelection } from './incident-membership.js';
import { assertCommander, assertNotClosed, incidentTransaction, lockIncident, recordEvent, type IncidentActor } from './incident-store.js';
import { IncidentsQueryService } from './incidents-query.service.js';
import type { DeclareIncidentInput, MembershipAction, MembershipInput, UpdateIncidentInput } from './incidents.schemas.js';

const statusOfAction: Record<MembershipAction, MembershipStatus> = { suspect: 'suspected', confirm: 'confirmed', exclude: 'excluded' };
const verbOfAction: Record<MembershipAction, string> = { suspect: 'Suspected', confirm: 'Confirmed', exclude: 'Excluded' };

/**
 * Changes to incidents: declaring, editing, moving through the lifecycle,
 * posting updates and changing membership. Every change writes its timeline
 * event and its audit row in the same transaction as the change.
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly proposals: ProposalsService,
    private readonly query: IncidentsQueryService,
  ) {}

  async declare(input: DeclareIncidentInput, actor: IncidentActor) {
    const id = await incidentTransaction(this.dataSource, async (manager) => {
      if (input.commanderId) await assertCommander(manager, input.commanderId);
      const scope = input.proposalId
        ? await this.proposalScope(manager, input.proposalId)
        : await this.filterScope(manager, input.orderFilter!, input.expectedCount!);
      // Checked before the incident row exists, so a refused declaration uses no INC number.
      await assertNoConflicts(manager, scope.filter, null);

      const [incident] = await manager.query(
        `INSERT INTO incident (title, severity, status, commander_id, proposal_id, proposal_evidence, started_at, detected_at, declared_at, created_by)
         VALUES ($1, $2, 'declared', $3, $4, $5, $6, $7, now(), $8) RETURNING id, number`,
        [
          input.title ?? scope.title,
          input.severity ?? scope.severity,
          // Whoever declares runs it until they hand it over.
          input.commanderId ?? actor.id,
          input.proposalId ?? null,
          scope.evidence === undefined ? null : JSON.stringify(scope.evidence),
          scope.startedAt,
          scope.detectedAt,
          actor.id,
        ],
      );
      const counts = await writeMembers(manager, {
        incidentId: incident.id,
        filter: scope.filter,
        count: scope.count,
        status: 'suspected',
        reason: input.reason?.trim() || null,
        actorId: actor.id,
      });
      if (input.proposalId) await this.proposals.markDeclared(manager, input.proposalId, incident.id);

      const reference = incidentReference(incident.number);
      const origin = input.proposalId ? `from proposal ${input.proposalId}` : 'from an order filter';
      await recordEvent(manager, incident.id, 'declared', actor, `Declared ${reference} ${origin} with ${counts.added} suspected orders`, {
        proposalId: input.proposalId ?? null,
        orderFilter: input.orderFilter ?? null,
        orders: counts.added,
        reason: input.reason ?? null,
      });
      await this.audit.record(manager, {
        action: 'incidents.create',
        targetType: 'incident',
        targetId: incident.id,
        reason: input.reason,
        summary: {
          number: incident.number,
          title: input.title ?? scope.title,
          severity: input.severity ?? scope.severity,
          proposalId: input.proposalId ?? null,
          orderFilter: input.orderFilter ?? null,
          orders: counts.added,
        },
      });
      return incident.id as string;
    });
    return this.query.get(id);
  }

  async update(id: string, input: UpdateIncidentInput, actor: IncidentActor) {
    await incidentTransaction(this.dataSource, async (manager) => {
      const before = await lockIncident(manager, id);
      const reference = incidentReference(before.number);
      assertNotClosed(before, reference);
      if (input.commanderId) await assertCommander(manager, input.commanderId);
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of ['title', 'severity', 'commanderId', 'summary'] as const) {
        // An empty summary is no summary.
        const to = key === 'summary' && input.summary !== undefined ? input.summary || null : input[key];
        if (to !== undefined && to !== before[key]) changes[key] = { from: before[key], to };
      }
      if (!Object.keys(changes).length) return;
      const after = { ...before, ...Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.to])) };
      await manager.query(
        `UPDATE incident SET title = $2, severity = $3, commander_id = $4, summary = $5, updated_at = now() WHERE id = $1`,
        [id, after.title, after.severity, after.commanderId, after.summary],
      );
      // The summary can be long: the timeline and audit say that it changed, the incident holds the text.
      const shown = Object.fromEntries(
        Object.entries(changes).map(([k, v]) => [k, k === 'summary' ? { from: Boolean(v.from), to: Boolean(v.to) } : v]),
      );
      const described = Object.entries(changes)
        .map(([k, v]) => (k === 'summary' ? 'updated the post-incident summary' : `${k} from ${v.from ?? 'none'} to ${v.to ?? 'none'}`))
        .join('; ');
      await recordEvent(manager, id, 'edited', actor, `Changed ${described}`, { changes: shown, reason: input.reason ?? null });
      await this.audit.record(manager, {
        action: 'incidents.edit',
        targetType: 'incident',
        targetId: id,
        reason: input.reason,
        summary: { number: before.number, changes: shown },
      });
    });
    return this.query.get(id);
  }

  async transition(id: string, to: IncidentStatus, reason: string | undefined, actor: IncidentActor) {
    await incidentTransaction(this.dataSource, async (manager) => {
      const incident = await lockIncident(manager, id);
      const reference = incidentReference(incident.number);
      const problem = transitionProblem(incident.status, to);
      if (problem) throw new ConflictException(problem.replace('the incident', reference));
      if (to === 'closed' && !incident.summary?.trim()) {
        throw new ConflictException(`Closing ${reference} needs a post-incident summary: write it first (PATCH summary)`);
      }
      const stamp = stampedOnEntry[to];
      // A flare-up (monitoring → remediating) means the mitigation did not hold: it is stamped again when it does.
      const unstamp = incident.status === 'monitoring' && to === 'remediating' ? ', mitigated_at = NULL' : '';
      await manager.query(
        `UPDATE incident SET status = $2, updated_at = now()${stamp ? `, ${stamp} = now()` : ''}${unstamp} WHERE id = $1`,
        [id, to],
      );
      // A closed incident lets go of its orders: they may join a new incident.
      const freed =
        to === 'closed' ? await manager.query(`UPDATE incident_order SET open = false WHERE incident_id = $1 AND open`, [id]) : null;
      await recordEvent(manager, id, 'status_changed', actor, `${incident.status} → ${to}${reason ? `: ${reason}` : ''}`, {
        from: incident.status,
        to,
        reason: reason ?? null,
      });
      await this.audit.record(manager, {
        action: 'incidents.transition',
        targetType: 'incident',
        targetId: id,
        reason,
        summary: { number: incident.number, from: incident.status, to, ...(freed ? { ordersReleased: freed[1] } : {}) },
      });
    });
    return this.query.get(id);
  }

  async postUpdate(id: string, message: string, actor: IncidentActor) {
    return incidentTransaction(this.dataSource, async (manager) => {
      const incident = await lockIncident(manager, id);
      assertNotClosed(incident, incidentReference(incident.number));
      const event = await recordEvent(manager, id, 'update', actor, message);
      await this.audit.record(manager, {
        action: 'incidents.post-update',
        targetType: 'incident',
        targetId: id,
        summary: { number: incident.number, eventId: event.id, length: message.length },
      });
      return event;
    });
  }

  async changeMembers(id: string, input: MembershipInput, actor: IncidentActor) {
    return incidentTransaction(this.dataSource, async (manager) => {
      const incident = await lockIncident(manager, id);
      const reference = incidentReference(incident.number);
      assertNotClosed(incident, reference);
      const selection: OrderSelection = input.filter
        ? { kind: 'filter', filter: input.filter, expectedCount: input.expectedCount!, field: 'filter' }
        : { kind: 'ids', orderIds: input.orderIds! };
      const { filter, count } = await resolveSelection(manager, selection);
      const status = statusOfAction[input.action];
      // Excluding never conflicts: an excluded order is not part of this incident.
      if (status !== 'excluded') await assertNoConflicts(manager, filter, id);
      const counts = await writeMembers(manager, { incidentId: id, filter, count, status, reason: input.reason, actorId: actor.id });
      await refreshStartedAt(manager, id);

      const data = {
        action: input.action,
        status,
        selection: selection.kind,
        filter: input.filter ?? null,
        ...counts,
        reason: input.reason,
      };
      await recordEvent(
        manager,
        id,
        'membership',
        actor,
        `${verbOfAction[input.action]} ${counts.matched} order${counts.matched === 1 ? '' : 's'}` +
          ` (${counts.added} added, ${counts.changed} changed, ${counts.unchanged} unchanged): ${input.reason}`,
        data,
      );
      await this.audit.record(manager, {
        action: 'incidents.members',
        targetType: 'incident',
        targetId: id,
        reason: input.reason,
        summary: { number: incident.number, ...data, reason: undefined },
      });
      return { action: input.action, status, ...counts, members: await this.query.memberCounts(manager, id) };
    });
  }

  private async proposalScope(manager: EntityManager, proposalId: string) {
    const proposal = await this.proposals.getForDeclaration(proposalId, manager);
    const { filter, count } = await resolveSelection(manager, { kind: 'ids', orderIds: proposal.orderIds });
    return {
      filter,
      count,
      title: proposal.title,
      severity: proposal.suggestedSeverity,
      evidence: proposal.evidence,
      startedAt: proposal.firstOrderAt,
      detectedAt: proposal.proposedAt,
    };
  }

  private async filterScope(manager: EntityManager, orderFilter: NonNullable<DeclareIncidentInput['orderFilter']>, expectedCount: number) {
    const { filter, count } = await resolveSelection(manager, { kind: 'filter', filter: orderFilter, expectedCount, field: 'orderFilter' });
    // Found by a person, now: detected and declared at the same moment. An order stamped in the
    // future (a platform clock ahead of ours) cannot make the attack start after it was found.
    const [{ first, now }] = await manager.query(
      `SELECT LEAST(min(o.placed_at), now()) AS first, now() AS now FROM orders o ${filter.sql}`,
      filter.params,
    );
    return { filter, count, title: undefined, severity: undefined, evidence: undefined, startedAt: first as Date, detectedAt: now as Date };
  }
}
