import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const incidentEventKinds = ['declared', 'status_changed', 'membership', 'update', 'edited', 'remediation'] as const;
export type IncidentEventKind = (typeof incidentEventKinds)[number];

/** One entry of an incident's timeline. */
@Entity('incident_event')
export class IncidentEvent {
  /** A bigint identity, kept as a string: it is an identifier, never arithmetic. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'incident_id', type: 'uuid' })
  incidentId!: string;

  @Column({ type: 'timestamptz', insert: false })
  at!: Date;

  @Column({ type: 'text' })
  kind!: IncidentEventKind;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_email', type: 'text', nullable: true })
  actorEmail!: string | null;

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;
}
