import type { Shipment } from '../state/shipment.js';

/**
 * What carriers charge for stopping a parcel in transit, in major units of
 * the shipment's currency (roughly the published US fees; the point is a
 * realistic, non-zero cost the loss ledger has to book).
 */
const interceptFeeMajor: Record<string, number> = { ups: 16, fedex: 19, dhl: 14, usps: 18 };
const defaultInterceptFeeMajor = 15;

export function interceptFeeMinor(shipment: Shipment): number {
  const major = interceptFeeMajor[shipment.carrier.toLowerCase()] ?? defaultInterceptFeeMajor;
  return major * 10 ** currencyExponent(shipment.currency);
}

/** An unused label is credited in full. */
export function labelCreditMinor(shipment: Shipment): number {
  return shipment.labelCostMinor;
}

/** The return label costs what the outbound one did. */
export function returnShippingCostMinor(shipment: Shipment): number {
  return shipment.labelCostMinor;
}

/** ISO 4217 minor-unit digits (JPY 0, USD 2, KWD 3), as ICU knows them. */
export function currencyExponent(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}
