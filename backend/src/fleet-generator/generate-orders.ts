import type { FulfilmentState } from '../orders/fulfilment-state.js';
import { deviceModels, firstNames, lastNames, markets, streets, type DeviceModel } from './catalogue.js';
import { Prng } from './prng.js';

export type Scenario = 'legit' | 'firmware-compromise' | 'velocity-spike';

export interface GeneratorOptions {
  seed: number;
  /** Roughly how many orders to produce (the exact count is deterministic per seed). */
  orders: number;
  /** "Today" of the generated world; attacks happen in its last days. */
  now: Date;
  historyDays?: number;
  source?: string;
  /** Share of orders that belong to attacks (default 3 %). */
  attackShare?: number;
}

/** The platform's JSON shape of an order (what ingestion accepts), plus the ground-truth label. */
export interface GeneratedOrder {
  order: {
    source: string;
    externalId: string;
    placedAt: string;
    currency: string;
    customer: { externalId: string; email: string; name: string };
    device: { id: string; model: string; firmwareVersion: string };
    lines: { sku: string; quantity: number; unitPriceMinor: number; unitCostMinor: number }[];
    shippingChargedMinor: number;
    shippingLabelCostMinor: number;
    paymentReference: string | null;
    fulfilment: { state: FulfilmentState; carrier: string | null; trackingNumber: string | null };
    shipTo: { name: string; line1: string; line2: null; city: string; region: null; postalCode: string; country: string };
  };
  scenario: Scenario;
}

/** The firmware an attacker compromised in the generated world. */
export const compromisedFirmware = { model: 'InkJet 3000', firmwareVersion: '4.2.1' };

interface FleetDevice {
  id: string;
  model: DeviceModel;
  firmwareVersion: string;
  customer: { externalId: string; email: string; name: string };
  market: (typeof markets)[number];
  home: GeneratedOrder['order']['shipTo'];
}

const dayMs = 86_400_000;

/**
 * A realistic IoT fleet — printers, cars and fridges re-ordering their
 * consumables for months — with two attacks on top: a compromised printer
 * firmware ordering fuser kits to a few new addresses, and single devices
 * ordering far above their own rhythm. Streams, so 1M orders use flat memory.
 */
export function* generateOrders(options: GeneratorOptions): Generator<GeneratedOrder> {
  const random = new Prng(options.seed);
  const source = options.source ?? 'iot-store';
  const historyDays = options.historyDays ?? 180;
  const now = options.now.getTime();
  const attackTarget = Math.round(options.orders * (options.attackShare ?? 0.03));
  const legitTarget = options.orders - attackTarget;
  let sequence = 0;
  const nextId = () => `${source.toUpperCase()}-${String(++sequence).padStart(9, '0')}`;
  const make = (
    device: FleetDevice,
    placedAt: number,
    lines: GeneratedOrder['order']['lines'],
    shipTo: GeneratedOrder['order']['shipTo'],
    scenario: Scenario,
  ): GeneratedOrder => {
    const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
    const state = fulfilmentFor(random, (now - placedAt) / dayMs);
    const shipped = !['unfulfilled', 'cancelled'].includes(state);
    return {
      scenario,
      order: {
        source,
        externalId: nextId(),
        placedAt: new Date(placedAt).toISOString(),
        currency: device.market.currency,
        customer: device.customer,
        device: { id: device.id, model: device.model.model, firmwareVersion: device.firmwareVersion },
        lines,
        shippingChargedMinor: subtotal >= device.market.scale(5000) ? 0 : device.market.scale(499),
        shippingLabelCostMinor: state === 'unfulfilled' ? 0 : device.market.scale(random.int(350, 800)),
        paymentReference: null,
        fulfilment: {
          state,
          carrier: shipped ? random.pick(['UPS', 'DHL', 'Yamato']) : null,
          trackingNumber: shipped ? `TRK${random.int(100000000, 999999999)}` : null,
        },
        shipTo,
      },
    };
  };

  // Legitimate history, device by device.
  const fleet: FleetDevice[] = [];
  let legitEmitted = 0;
  while (legitEmitted < legitTarget) {
    const owner = newCustomer(random, fleet.length);
    for (let d = random.int(1, 3); d > 0 && legitEmitted < legitTarget; d--) {
      const device = newDevice(random, owner, fleet.length);
      fleet.push(device);
      const [minCycle, maxCycle] = device.model.cycleDays;
      for (
        let t = now - historyDays * dayMs + random.int(0, maxCycle) * dayMs;
        t < now && legitEmitted < legitTarget;
        t += random.int(minCycle, maxCycle) * dayMs
      ) {
        const [sku, price, cost] = random.pick(device.model.consumables);
        const placedAt = t + random.int(0, dayMs - 1);
        if (placedAt >= now) break;
        yield make(
          device,
          placedAt,
          [{ sku, quantity: random.int(1, 2), unitPriceMinor: device.market.scale(price), unitCostMinor: device.market.scale(cost) }],
          device.home,
          'legit',
        );
        legitEmitted++;
      }
    }
  }

  // Attack 1: the compromised firmware orders the expensive kit to a few drop addresses.
  const victims = fleet.filter(
    (d) => d.model.model === compromisedFirmware.model && d.firmwareVersion === compromisedFirmware.firmwareVersion,
  );
  const dropAddresses = markets.map((market) =>
    [0, 1, 2].map((i) => address(new Prng(options.seed + 7919 * (i + 1)), market, `Drop ${i + 1}`)),
  );
  let attackEmitted = 0;
  const firmwareShare = Math.round(attackTarget * 0.7);
  for (const device of victims) {
    if (attackEmitted >= firmwareShare) break;
    const drops = dropAddresses[markets.indexOf(device.market)]!;
    for (let n = random.int(1, 3); n > 0 && attackEmitted < firmwareShare; n--) {
      const [sku, price, cost] = device.model.attackSku;
      const placedAt = now - random.int(1, 3 * 24 * 60) * 60_000;
      yield make(
        device,
        placedAt,
        [{ sku, quantity: 1, unitPriceMinor: device.market.scale(price), unitCostMinor: device.market.scale(cost) }],
        random.pick(drops),
        'firmware-compromise',
      );
      attackEmitted++;
    }
  }

  // Attack 2: single devices ordering far above their own rhythm, to their usual address.
  while (attackEmitted < attackTarget && fleet.length > 0) {
    const device = random.pick(fleet);
    for (let n = random.int(8, 15); n > 0 && attackEmitted < attackTarget; n--) {
      const [sku, price, cost] = random.pick(device.model.consumables);
      const placedAt = now - random.int(1, 36 * 60) * 60_000;
      yield make(
        device,
        placedAt,
        [{ sku, quantity: random.int(3, 10), unitPriceMinor: device.market.scale(price), unitCostMinor: device.market.scale(cost) }],
        device.home,
        'velocity-spike',
      );
      attackEmitted++;
    }
  }
}

function newCustomer(random: Prng, index: number) {
  const name = `${random.pick(firstNames)} ${random.pick(lastNames)}`;
  return {
    externalId: `CUST-${String(index + 1).padStart(7, '0')}`,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}.${index + 1}@example.com`,
    name,
    market: random.pick(markets),
  };
}

function newDevice(random: Prng, owner: ReturnType<typeof newCustomer>, index: number): FleetDevice {
  const model = random.pick(deviceModels);
  return {
    id: `${model.idPrefix}-${String(index + 1).padStart(7, '0')}`,
    model,
    firmwareVersion: random.pick(model.firmwareVersions),
    customer: { externalId: owner.externalId, email: owner.email, name: owner.name },
    market: owner.market,
    home: address(random, owner.market, owner.name),
  };
}

function address(random: Prng, market: (typeof markets)[number], name: string): GeneratedOrder['order']['shipTo'] {
  return {
    name,
    line1: `${random.int(1, 400)} ${random.pick(streets)}`,
    line2: null,
    city: random.pick(market.cities),
    region: null,
    postalCode: String(random.int(10000, 99999)),
    country: market.country,
  };
}

/** Older orders are further along: delivered after a week, a few returned or cancelled. */
function fulfilmentFor(random: Prng, ageDays: number): FulfilmentState {
  if (random.chance(0.01)) return 'cancelled';
  if (ageDays < 1) return 'unfulfilled';
  if (ageDays < 2) return 'label_created';
  if (ageDays < 6) return 'in_transit';
  return random.chance(0.02) ? 'returned' : 'delivered';
}
