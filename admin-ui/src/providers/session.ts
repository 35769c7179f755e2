import { HttpError } from 'react-admin';
import { http } from './http';

export interface SessionUser {
  id: string | number;
  email: string;
  fullName: string;
  roles: string[];
}

/** `GET /api/auth/me`: who is logged in and what the permission matrix allows them. */
export interface Me {
  user: SessionUser;
  allowedActions: string[];
}

// One in-flight/settled request shared by checkAuth, getIdentity, canAccess and
// getPermissions: react-admin calls them many times per page, and the answer
// only changes on login/logout.
let cached: Promise<Me> | undefined;

// Set once the server said "no session" (401 from /me, or after logout). Until
// the next login, /me is not asked again: the login page would otherwise
// re-check on every render and fill the console with 401s. A page reload
// resets it, so a login made in another tab is picked up then.
let anonymous = false;

/** True once this tab has seen a valid session (tells "expired" from "never logged in"). */
let sawSession = false;

export function getMe(): Promise<Me> {
  if (anonymous) return Promise.reject(new HttpError('Not authenticated', 401));
  if (!cached) {
    cached = http<Me>('/api/auth/me').then(
      ({ json }) => {
        sawSession = true;
        return json;
      },
      (error: unknown) => {
        cached = undefined; // never cache a failure: the next check must ask again
        if ((error as { status?: number }).status === 401) anonymous = true;
        throw error;
      },
    );
  }
  return cached;
}

/** Forget the cached /me, e.g. before a login or after a 401 from any endpoint. */
export function clearSession(): void {
  cached = undefined;
}

export function markLoggedIn(): void {
  cached = undefined;
  anonymous = false;
}

/** After logout: the next auth check redirects to the login page silently. */
export function markAnonymous(): void {
  cached = undefined;
  anonymous = true;
  sawSession = false;
}

export const isKnownAnonymous = () => anonymous;
export const hasSeenSession = () => sawSession;
