import type { AuthProvider } from 'react-admin';
import { http } from './http';
import { clearSession, getMe, hasSeenSession, isKnownAnonymous, markAnonymous, markLoggedIn } from './session';

const statusOf = (error: unknown) => (error as { status?: number } | null)?.status;

/**
 * Cookie-session auth against /api/auth. The token in the login response is
 * deliberately ignored: the httpOnly cookie is the credential, so nothing
 * secret ever lands in JS-readable storage.
 */
export const authProvider: AuthProvider = {
  async login({ username, password }: { username: string; password: string }) {
    clearSession();
    // 401 (bad credentials) and 429 (rate limited) reject with the server's
    // message, which the login form shows as-is.
    await http('/api/auth/login', { method: 'POST', body: { email: username, password } });
    markLoggedIn();
  },

  async logout() {
    const mustTellServer = !isKnownAnonymous();
    markAnonymous();
    if (!mustTellServer) return;
    try {
      await http('/api/auth/logout', { method: 'POST' });
    } catch {
      // The local session is gone either way; a failed revoke must not trap the user.
    }
  },

  async checkAuth() {
    try {
      await getMe();
    } catch (error) {
      // A first visit without a session goes to the login page silently;
      // an expired session says why the user was sent there.
      throw hasSeenSession() ? error : { message: false };
    }
  },

  async checkError(error: unknown) {
    const status = statusOf(error);
    if (status === 401) {
      clearSession();
      throw error;
    }
    // 403 and everything else: stay logged in, the caller shows the error.
  },

  async getIdentity() {
    const { user } = await getMe();
    // Spread: UserIdentity has an index signature an interface can't satisfy.
    return { ...user };
  },

  async getPermissions() {
    const { allowedActions } = await getMe();
    return allowedActions;
  },

  async canAccess({ resource, action }) {
    try {
      const { allowedActions } = await getMe();
      return allowedActions.includes(`${resource}.${action}`);
    } catch {
      return false; // no session, no access; checkAuth handles the redirect
    }
  },
};
