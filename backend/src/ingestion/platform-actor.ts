import type { Actor } from '../audit/audit.service.js';

/** Who the audit log names for everything the commerce platform sends (it has no user account). */
export const platformActor: Actor = { id: null, email: 'machine:platform', roles: [] };
