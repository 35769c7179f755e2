/** Roles known to the permission matrix (backend is the source of truth for what they allow). */
export const ROLES = ['support_agent', 'finance', 'incident_commander', 'admin'] as const;

export type Role = (typeof ROLES)[number];

/** Choices for SelectInput/SelectArrayInput; names are translation keys. */
export const roleChoices = ROLES.map((id) => ({ id, name: `app.roles.${id}` }));
