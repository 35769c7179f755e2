export const roles = ['support_agent', 'finance', 'incident_commander', 'admin'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  support_agent: 'Support agent',
  finance: 'Finance',
  incident_commander: 'Incident commander',
  admin: 'Admin',
};
