// Local stand-ins for internet services (Stripe, the fulfilment provider, an
// SMTP sink). Each speaks its real protocol on 127.0.0.1 and is started only
// when the matching provider variable is not set. Later issues add entries.
export function standInServices(_stackDir, _basePort, _env) {
  return [];
}
