import { UsersSessionsAudit1764000000000 } from './1764000000000-users-sessions-audit.js';
import { OrdersDevicesCustomers1764100000000 } from './1764100000000-orders-devices-customers.js';
import { Detection1764200000000 } from './1764200000000-detection.js';
import { EngineChunkJobs1764800000000 } from './1764800000000-engine-chunk-jobs.js';
import { DetectionCoveringIndex1764500000000 } from './1764500000000-detection-covering-index.js';
import { Incidents1764300000000 } from './1764300000000-incidents.js';
import { Ledger1764700000000 } from './1764700000000-ledger.js';
import { OutboxByCustomerIndex1764710000000 } from './1764710000000-outbox-by-customer-index.js';
import { OpenStepsIndex1764610000000 } from './1764610000000-open-steps-index.js';
import { StepsByOrderIndex1764620000000 } from './1764620000000-steps-by-order-index.js';
import { Remediation1764600000000 } from './1764600000000-remediation.js';
import { ProposalDeviceCount1764550000000 } from './1764550000000-proposal-device-count.js';
import { Quarantine1764400000000 } from './1764400000000-quarantine.js';

/**
 * Every migration, in order. Listed explicitly (no glob) so the compiled
 * worker, the API, the migrate command and the tests all run the same set.
 */
export const migrations: Function[] = [
  UsersSessionsAudit1764000000000,
  OrdersDevicesCustomers1764100000000,
  Detection1764200000000,
  Incidents1764300000000,
  Quarantine1764400000000,
  DetectionCoveringIndex1764500000000,
  ProposalDeviceCount1764550000000,
  Remediation1764600000000,
  OpenStepsIndex1764610000000,
  StepsByOrderIndex1764620000000,
  Ledger1764700000000,
  OutboxByCustomerIndex1764710000000,
  EngineChunkJobs1764800000000,
];
