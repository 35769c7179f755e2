import { Quarantine } from './quarantine.entity.js';

/** The TypeORM entities of this module, registered by database/entities.ts. */
export const quarantineEntities: Function[] = [Quarantine];
