import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrdersDevicesCustomers1764100000000 implements MigrationInterface {
  name = 'OrdersDevicesCustomers1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE customer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        external_id text NOT NULL,
        email text,
        name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX customer_external_id_key ON customer (external_id)`);
    await db.query(`CREATE INDEX customer_email_idx ON customer (lower(email))`);

    await db.query(`
      CREATE TABLE device (
        id text PRIMARY KEY,
        model text NOT NULL,
        firmware_version text NOT NULL,
        customer_id uuid REFERENCES customer(id),
        state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'watched', 'quarantined')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX device_customer_idx ON device (customer_id)`);
    await db.query(`CREATE INDEX device_model_firmware_idx ON device (model, firmware_version)`);

    // Money columns are bigint minor units with the order's one currency; the
    // CHECKs make an order whose totals do not add up impossible to store.
    await db.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source text NOT NULL,
        external_id text NOT NULL,
        customer_id uuid NOT NULL REFERENCES customer(id),
        device_id text REFERENCES device(id),
        device_model text,
        firmware_version text,
        placed_at timestamptz NOT NULL,
        currency char(3) NOT NULL,
        subtotal_minor bigint NOT NULL CHECK (subtotal_minor >= 0),
        shipping_charged_minor bigint NOT NULL CHECK (shipping_charged_minor >= 0),
        total_minor bigint NOT NULL,
        shipping_label_cost_minor bigint NOT NULL CHECK (shipping_label_cost_minor >= 0),
        cost_of_goods_minor bigint NOT NULL CHECK (cost_of_goods_minor >= 0),
        payment_reference text,
        fulfilment_state text NOT NULL CHECK (fulfilment_state IN
          ('unfulfilled', 'label_created', 'in_transit', 'delivered', 'cancelled', 'intercepted', 'returned')),
        carrier text,
        tracking_number text,
        ship_to jsonb NOT NULL,
        ship_to_hash text NOT NULL,
        skus text[] NOT NULL,
        line_count integer NOT NULL CHECK (line_count > 0),
        held boolean NOT NULL DEFAULT false,
        -- Hash of everything the platform sent: an identical re-send writes nothing.
        content_hash text NOT NULL,
        hold_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT orders_total_adds_up CHECK (total_minor = subtotal_minor + shipping_charged_minor)
      )`);
    await db.query(`CREATE UNIQUE INDEX orders_source_external_id_key ON orders (source, external_id)`);
    // One index per common list filter, each ending in the list's sort (placed_at, id) so
    // a page is an index range read forwards or backwards, never a sort of the matches.
    await db.query(`CREATE INDEX orders_placed_at_idx ON orders (placed_at, id)`);
    await db.query(`CREATE INDEX orders_device_idx ON orders (device_id, placed_at, id)`);
    await db.query(`CREATE INDEX orders_customer_idx ON orders (customer_id, placed_at, id)`);
    await db.query(`CREATE INDEX orders_state_idx ON orders (fulfilment_state, placed_at, id)`);
    await db.query(`CREATE INDEX orders_model_firmware_idx ON orders (device_model, firmware_version, placed_at, id)`);
    await db.query(`CREATE INDEX orders_currency_total_idx ON orders (currency, total_minor, id)`);
    await db.query(`CREATE INDEX orders_ship_to_hash_idx ON orders (ship_to_hash, placed_at)`);
    await db.query(`CREATE INDEX orders_payment_reference_idx ON orders (payment_reference) WHERE payment_reference IS NOT NULL`);
    await db.query(`CREATE INDEX orders_skus_idx ON orders USING gin (skus)`);
    await db.query(`CREATE INDEX orders_held_idx ON orders (placed_at) WHERE held`);

    // The exact number of orders without counting a million rows on every
    // unfiltered list: statement triggers add each statement's rows to one of
    // a few shards (chosen by backend), so concurrent writers never queue on one row.
    await db.query(`CREATE TABLE orders_tally (shard integer PRIMARY KEY, orders bigint NOT NULL)`);
    await db.query(`INSERT INTO orders_tally SELECT shard, 0 FROM generate_series(0, 15) AS shard`);
    await db.query(`
      CREATE FUNCTION orders_tally_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE orders_tally SET orders = orders + (SELECT count(*) FROM changed_rows) WHERE shard = pg_backend_pid() % 16;
        ELSE
          UPDATE orders_tally SET orders = orders - (SELECT count(*) FROM changed_rows) WHERE shard = pg_backend_pid() % 16;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(
      `CREATE TRIGGER orders_tally_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_tally_add()`,
    );
    await db.query(
      `CREATE TRIGGER orders_tally_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION orders_tally_add()`,
    );

    await db.query(`
      CREATE TABLE order_line (
        order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        sku text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
        unit_cost_minor bigint NOT NULL CHECK (unit_cost_minor >= 0),
        PRIMARY KEY (order_id, line_no)
      )`);
    await db.query(`CREATE INDEX order_line_sku_idx ON order_line (sku)`);

    // Webhook deliveries already processed: a re-delivered event is acknowledged and ignored.
    await db.query(`
      CREATE TABLE platform_event (
        id text PRIMARY KEY,
        type text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE platform_event`);
    await db.query(`DROP TABLE orders_tally`);
    await db.query(`DROP TABLE order_line`);
    await db.query(`DROP TABLE orders`);
    await db.query(`DROP FUNCTION orders_tally_add`);
    await db.query(`DROP TABLE device`);
    await db.query(`DROP TABLE customer`);
  }
}
