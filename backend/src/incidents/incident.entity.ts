import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { IncidentSeverity, IncidentStatus } from './incident-lifecycle.js';

/**
 * An incident: the unit of recovery work. Written with hand-written SQL in
 * this module (incidents.service.ts); the entity lets other modules read it.
 */
@Entity('incident')
export class Incident {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Identity column, shown as INC-0001. */
  @Column({ type: 'integer', insert: false, update: false })
  number!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  severity!: IncidentSeverity;

  @Column({ type: 'text' })
  status!: IncidentStatus;

  @Column({ name: 'commander_id', type: 'uuid', nullable: true })
  commanderId!: string | null;

  @Column({ name: 'proposal_id', type: 'uuid', nullable: true })
  proposalId!: string | null;

  @Column({ name: 'proposal_evidence', type: 'jsonb', nullable: true })
  proposalEvidence!: unknown;

  /** The post-incident summary; closing needs it. */
  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'detected_at', type: 'timestamptz' })
  detectedAt!: Date;

  @Column({ name: 'declared_at', type: 'timestamptz' })
  declaredAt!: Date;

  @Column({ name: 'triage_at', type: 'timestamptz', nullable: true })
  triageAt!: Date | null;

  /** When the incident entered monitoring. */
  @Column({ name: 'mitigated_at', type: 'timestamptz', nullable: true })
  mitigatedAt!: Date | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
