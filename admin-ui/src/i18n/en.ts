import type { TranslationMessages } from 'react-admin';
import englishMessages from 'ra-language-english';

export const en: TranslationMessages = {
  ...englishMessages,
  ra: {
    ...englishMessages.ra,
    auth: {
      ...englishMessages.ra.auth,
      // The login form's input is named "username" (react-admin default) but holds an email.
      username: 'Email',
    },
  },
  app: {
    title: 'Recovery Desk',
    roles: {
      support_agent: 'Support agent',
      finance: 'Finance',
      incident_commander: 'Incident commander',
      admin: 'Admin',
    },
    dashboard: {
      title: 'Dashboard',
      welcome: 'Welcome, %{name}',
      tagline: 'Recovering merchants from fraudulent orders placed by hijacked IoT devices.',
      your_roles: 'Your roles',
      no_roles: 'No roles assigned',
    },
    health: {
      title: 'System health',
      refresh: 'Refresh',
      unavailable: 'Health status unavailable: %{message}',
      no_checks: 'No checks reported',
      status: {
        ok: 'OK',
        warn: 'Warning',
        degraded: 'Degraded',
        error: 'Error',
      },
    },
    account: {
      menu: 'My account',
      title: 'My account',
      change_password: 'Change password',
      current_password: 'Current password',
      new_password: 'New password',
      confirm_password: 'Confirm new password',
      new_password_hint: 'At least 12 characters',
      passwords_mismatch: 'The two passwords do not match',
      submit: 'Change password',
      password_changed: 'Password changed',
    },
    validation: {
      min_password_length: 'Must be at least %{min} characters',
    },
  },
  resources: {
    users: {
      name: 'User |||| Users',
      fields: {
        id: 'ID',
        q: 'Search',
        email: 'Email',
        fullName: 'Full name',
        roles: 'Roles',
        role: 'Role',
        active: 'Active',
        lastLoginAt: 'Last login',
        createdAt: 'Created',
        updatedAt: 'Updated',
        password: 'Initial password',
        reason: 'Reason',
      },
      helpers: {
        password: 'At least 12 characters; share it out of band and ask the user to change it.',
        active: 'Inactive users cannot log in. Users are deactivated, never deleted.',
        reason: 'Optional. Recorded in the audit log.',
      },
      actions: {
        create: 'New user',
      },
      notifications: {
        created: 'User created',
        updated: 'User updated |||| %{smart_count} users updated',
      },
    },
    'audit-log': {
      name: 'Audit log entry |||| Audit log',
      fields: {
        id: 'ID',
        at: 'When',
        actorEmail: 'Actor',
        action: 'Action',
        targetType: 'Target type',
        targetId: 'Target ID',
        reason: 'Reason',
        requestId: 'Request ID',
        ip: 'IP address',
        summary: 'Summary',
        from: 'From',
        to: 'To',
      },
      notifications: {
        empty_summary: 'No summary recorded',
      },
    },
  },
};

export default en;
