import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row of the append-only audit log (the database refuses UPDATE and DELETE). */
@Entity('audit_log')
export class AuditEntry {
  /** A bigint identity, kept as a string: it is an identifier, never arithmetic. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'timestamptz', insert: false })
  at!: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_email', type: 'text', nullable: true })
  actorEmail!: string | null;

  @Column({ name: 'actor_roles', type: 'text', array: true })
  actorRoles!: string[];

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'target_type', type: 'text' })
  targetType!: string;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ type: 'jsonb' })
  summary!: Record<string, unknown>;
}
