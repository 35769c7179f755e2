import { IncidentEvent } from './incident-event.entity.js';
import { IncidentOrder } from './incident-order.entity.js';
import { Incident } from './incident.entity.js';

/** The TypeORM entities of this module, registered by database/entities.ts. */
export const incidentsEntities: Function[] = [Incident, IncidentOrder, IncidentEvent];
