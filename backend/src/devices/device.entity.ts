import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const deviceStates = ['active', 'watched', 'quarantined'] as const;
export type DeviceState = (typeof deviceStates)[number];

@Entity('device')
export class Device {
  /** The device's own id as the platform reports it (for example a serial number). */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  model!: string;

  @Column({ name: 'firmware_version', type: 'text' })
  firmwareVersion!: string;

  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId!: string | null;

  @Column({ type: 'text' })
  state!: DeviceState;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
