import { seedPaidOrders, type EngineStack, type OrderSpec, type SeededOrder } from '../remediation-stack.js';

/**
 * Orders of one device model placed in the last hours (so a detection pass
 * sees them as a burst), paid and shipped as `seedOrders` does. Each customer
 * ships to an address of their own, so no shared-address hit ties two
 * models' bursts into one proposal.
 */
export function seedRecentOrders(
  stack: EngineStack,
  device: { model: string; firmware: string },
  specs: OrderSpec[],
): Promise<SeededOrder[]> {
  const now = Date.now();
  return seedPaidOrders(stack, device.model, specs, (spec, _number, index) => {
    const name = spec.customerName ?? `${device.model} customer ${spec.customer}`;
    return {
      // Spread over the last two hours, newest last.
      placedAt: new Date(now - (specs.length - index) * 5 * 60_000).toISOString(),
      customerName: name,
      firmware: device.firmware,
      shipTo: { name, line1: `${spec.customer} ${device.model} Way`, city: 'Austin', postalCode: '73301', country: 'US' },
    };
  });
}
