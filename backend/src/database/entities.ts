import { AuditEntry } from '../audit/audit-entry.entity.js';
import { Session } from '../auth/session.entity.js';
import { User } from '../auth/user.entity.js';

/** Every TypeORM entity, registered with the one data source. */
export const entities: Function[] = [User, Session, AuditEntry];
