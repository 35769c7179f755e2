import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { FulfilmentState } from './fulfilment-state.js';

export interface ShipTo {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  country: string;
}

/** bigint minor units; read as exact integers by database/int8-parser.ts. */
const money = (name: string) => ({ name, type: 'bigint' as const });

/**
 * An order as the commerce platform placed it. Every amount is integer minor
 * units of `currency`. Device model and firmware are kept as they were when
 * the order was placed: a later firmware update must not rewrite history.
 */
@Entity('orders')
export class Order {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'device_id', type: 'text', nullable: true })
  deviceId!: string | null;

  @Column({ name: 'device_model', type: 'text', nullable: true })
  deviceModel!: string | null;

  @Column({ name: 'firmware_version', type: 'text', nullable: true })
  firmwareVersion!: string | null;

  @Column({ name: 'placed_at', type: 'timestamptz' })
  placedAt!: Date;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column(money('subtotal_minor'))
  subtotalMinor!: number;

  @Column(money('shipping_charged_minor'))
  shippingChargedMinor!: number;

  @Column(money('total_minor'))
  totalMinor!: number;

  @Column(money('shipping_label_cost_minor'))
  shippingLabelCostMinor!: number;

  @Column(money('cost_of_goods_minor'))
  costOfGoodsMinor!: number;

  /** Stripe PaymentIntent (pi_…) or Charge (ch_…) id. */
  @Column({ name: 'payment_reference', type: 'text', nullable: true })
  paymentReference!: string | null;

  @Column({ name: 'fulfilment_state', type: 'text' })
  fulfilmentState!: FulfilmentState;

  @Column({ type: 'text', nullable: true })
  carrier!: string | null;

  @Column({ name: 'tracking_number', type: 'text', nullable: true })
  trackingNumber!: string | null;

  @Column({ name: 'ship_to', type: 'jsonb' })
  shipTo!: ShipTo;

  /** Hash of the normalised address: groups orders re-routed to one place. */
  @Column({ name: 'ship_to_hash', type: 'text' })
  shipToHash!: string;

  @Column({ type: 'text', array: true })
  skus!: string[];

  @Column({ name: 'line_count', type: 'integer' })
  lineCount!: number;

  @Column({ type: 'boolean' })
  held!: boolean;

  @Column({ name: 'hold_reason', type: 'text', nullable: true })
  holdReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
