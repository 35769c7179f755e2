import { AuditEntry } from '../audit/audit-entry.entity.js';
import { Session } from '../auth/session.entity.js';
import { User } from '../auth/user.entity.js';
import { detectionEntities } from '../detection/detection.entities.js';
import { Device } from '../devices/device.entity.js';
import { incidentsEntities } from '../incidents/incidents.entities.js';
import { quarantineEntities } from '../quarantine/quarantine.entities.js';
import { Customer } from '../orders/customer.entity.js';
import { OrderLine } from '../orders/order-line.entity.js';
import { Order } from '../orders/order.entity.js';

/** Every TypeORM entity, registered with the one data source. */
export const entities: Function[] = [
  User,
  Session,
  AuditEntry,
  Customer,
  Device,
  Order,
  OrderLine,
  ...detectionEntities,
  ...incidentsEntities,
  ...quarantineEntities,
];
