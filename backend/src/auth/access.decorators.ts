import { SetMetadata } from '@nestjs/common';
import type { Action } from './permission-matrix.js';

export const ACCESS = Symbol('ACCESS');

/** The machine credentials a route may accept instead of a user session. */
export type MachineCredential = 'metrics' | 'platform' | 'platform-webhook' | 'storefront' | 'stripe-webhook';

export type AccessRule =
  { kind: 'public'; why: string } | { kind: 'permission'; action: Action } | { kind: 'machine'; credential: MachineCredential };

/** Anyone, signed in or not. Say why, so a reviewer can judge it. */
export const Public = (why: string) => SetMetadata(ACCESS, { kind: 'public', why } satisfies AccessRule);

/** A signed-in user whose roles the permission matrix allows for `action`. */
export const Permission = (action: Action) => SetMetadata(ACCESS, { kind: 'permission', action } satisfies AccessRule);

/** A machine with its own credential (never a user session). */
export const Machine = (credential: MachineCredential) => SetMetadata(ACCESS, { kind: 'machine', credential } satisfies AccessRule);
