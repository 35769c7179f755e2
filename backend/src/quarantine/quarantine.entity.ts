import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const quarantineScopes = ['device', 'firmware', 'model'] as const;
export type QuarantineScope = (typeof quarantineScopes)[number];

/**
 * A decision to stop one device, every device of a model on one firmware
 * version, or every device of a model from ordering. Active while not
 * released and not past `expiresAt`; rows are never deleted, so the history
 * of who stopped what, and why, stays readable.
 */
@Entity('quarantine')
export class Quarantine {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  scope!: QuarantineScope;

  @Column({ name: 'device_id', type: 'text', nullable: true })
  deviceId!: string | null;

  @Column({ type: 'text', nullable: true })
  model!: string | null;

  @Column({ name: 'firmware_version', type: 'text', nullable: true })
  firmwareVersion!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'incident_id', type: 'uuid', nullable: true })
  incidentId!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;

  @Column({ name: 'released_by', type: 'uuid', nullable: true })
  releasedBy!: string | null;

  @Column({ name: 'release_reason', type: 'text', nullable: true })
  releaseReason!: string | null;
}
