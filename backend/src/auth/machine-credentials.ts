import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';
import type { MachineCredential } from './access.decorators.js';

/**
 * Credentials of machines (Prometheus, and later the storefront, the platform
 * and payment providers). They never accept a user session.
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
    }
  }
}

export function bearerMatches(req: Request, expected: string): boolean {
  const header = req.header('authorization') ?? '';
  const given = Buffer.from(header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
