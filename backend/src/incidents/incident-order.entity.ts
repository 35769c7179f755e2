import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MembershipStatus } from './incident-lifecycle.js';

/** An order's membership of an incident (suspected, confirmed or excluded with a reason). */
@Entity('incident_order')
export class IncidentOrder {
  @PrimaryColumn({ name: 'incident_id', type: 'uuid' })
  incidentId!: string;

  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ type: 'text' })
  status!: MembershipStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'changed_by', type: 'uuid', nullable: true })
  changedBy!: string | null;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  /** False once the incident is closed, which frees the order for a new incident. */
  @Column({ type: 'boolean' })
  open!: boolean;
}
