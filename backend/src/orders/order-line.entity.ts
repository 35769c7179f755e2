import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('order_line')
export class OrderLine {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @PrimaryColumn({ name: 'line_no', type: 'integer' })
  lineNo!: number;

  @Column({ type: 'text' })
  sku!: string;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'unit_price_minor', type: 'bigint' })
  unitPriceMinor!: number;

  /** What the goods cost the merchant: the loss when they are not recovered. */
  @Column({ name: 'unit_cost_minor', type: 'bigint' })
  unitCostMinor!: number;
}
