import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';
import type { MachineCredential } from './access.decorators.js';
import { verifyPlatformSignature } from './platform-signature.js';
import { verifyStripeSignature } from '../webhooks/stripe-signature.js';

/**
 * Credentials of machines (Prometheus, the commerce platform, and later the
 * storefront and payment providers). They never accept a user session.
 */
@Injectable()
export class MachineCredentials {
  constructor(private readonly config: AppConfig) {}

  verify(credential: MachineCredential, req: Request): true {
    switch (credential) {
      case 'metrics': {
        // Unset: scraping is protected at the network edge, as is common for /metrics.
        if (!this.config.metricsToken) return true;
        if (!bearerMatches(req, this.config.metricsToken)) throw new UnauthorizedException('A valid metrics bearer token is required');
        return true;
      }
      case 'platform':
        if (!bearerMatches(req, this.config.platformApiKey))
          throw new UnauthorizedException('A valid platform API key is required (Authorization: Bearer …)');
        return true;
      case 'storefront':
        if (!bearerMatches(req, this.config.storefrontApiKey))
          throw new UnauthorizedException('A valid storefront API key is required (Authorization: Bearer …)');
        return true;
      case 'platform-webhook': {
        const check = verifyPlatformSignature(
          this.config.platformWebhookSecret,
          (req as Request & { rawBody?: Buffer }).rawBody,
          req.header('x-platform-timestamp'),
          req.header('x-platform-signature'),
        );
        if (!check.ok) throw new UnauthorizedException(`Webhook signature refused: ${check.reason}`);
        return true;
      }
      case 'stripe-webhook': {
        const check = verifyStripeSignature(
          this.config.stripeWebhookSecrets,
          (req as Request & { rawBody?: Buffer }).rawBody,
          req.header('stripe-signature'),
        );
        if (check.ok) return true;
        if (check.malformed) throw new BadRequestException(`Stripe-Signature refused: ${check.reason}`);
        throw new UnauthorizedException(`Stripe-Signature refused: ${check.reason}`);
      }
    }
  }
}

export function bearerMatches(req: Request, expected: string): boolean {
  const header = req.header('authorization') ?? '';
  const given = Buffer.from(header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
