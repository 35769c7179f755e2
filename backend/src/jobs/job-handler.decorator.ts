import { SetMetadata } from '@nestjs/common';
import type { JobName } from './job-catalogue.js';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

/**
 * Marks a provider method as the handler of one job. The worker refuses to
 * start if any job in the catalogue has no handler or more than one.
 */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);
