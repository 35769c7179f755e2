import type { DataSource } from 'typeorm';
import type { DemoSeeder } from '../seed/demo-seeders.js';
import { passwordHasher } from './password-hasher.js';
import type { Role } from './roles.js';
import { User } from './user.entity.js';

export const demoPassword = 'demo-password';

export const demoUsers: { email: string; fullName: string; roles: Role[] }[] = [
  { email: 'agent@demo.local', fullName: 'Alex Agent', roles: ['support_agent'] },
  { email: 'finance@demo.local', fullName: 'Fran Finance', roles: ['finance'] },
  { email: 'commander@demo.local', fullName: 'Casey Commander', roles: ['incident_commander'] },
  { email: 'admin@demo.local', fullName: 'Ari Admin', roles: ['admin'] },
];

/** One user per role, all with the password printed by `npm run demo`. */
export const demoUsersSeeder: DemoSeeder = {
  name: 'demo users',
  async run(dataSource: DataSource) {
    const passwordHash = await passwordHasher.hash(demoPassword);
    let created = 0;
    for (const user of demoUsers) {
      const result = await dataSource
        .createQueryBuilder()
        .insert()
        .into(User)
        .values({ ...user, passwordHash, active: true, passwordChangedAt: new Date() })
        .orIgnore()
        .execute();
      created += result.identifiers.filter(Boolean).length;
    }
    return `${created} created, ${demoUsers.length - created} already there`;
  },
};
