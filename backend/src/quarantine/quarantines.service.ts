import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { User } from '../auth/user.entity.js';
import { underActiveQuarantine } from './quarantine-match.sql.js';
import { QuarantineChanges } from './quarantine-changes.js';
import { devicesNamedBy } from './quarantine-target.js';
import { Quarantine } from './quarantine.entity.js';
import type { CreateQuarantine, ReleaseQuarantine } from './quarantine.schemas.js';
import { QuarantinesQueryService } from './quarantines-query.service.js';
import { isUuid } from '../http/is-uuid.js';

/**
 * Quarantine changes are rare and made by people; taking them one at a time
 * (a transaction-scoped advisory lock) keeps the device states they write
 * consistent without reasoning about concurrent creates and releases.
 */
const serialiseChanges = (manager: EntityManager) => manager.query(`SELECT pg_advisory_xact_lock(hashtext('quarantine-changes'))`);

@Injectable()
export class QuarantinesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly changes: QuarantineChanges,
    private readonly queries: QuarantinesQueryService,
  ) {}

  async create(input: CreateQuarantine, by: Pick<User, 'id'>) {
    const id = await this.dataSource.transaction(async (manager) => {
      await serialiseChanges(manager);
      if (input.scope === 'device' && !(await manager.query(`SELECT 1 FROM device WHERE id = $1`, [input.deviceId])).length) {
        throw new BadRequestException({
          message: `Invalid request body: deviceId "${input.deviceId}" is not a known device`,
          fields: [{ field: 'deviceId', message: 'is not a known device' }],
        });
      }
      const quarantine = await manager.save(
        Quarantine,
        manager.create(Quarantine, {
          scope: input.scope,
          deviceId: input.scope === 'device' ? input.deviceId : null,
          model: input.scope === 'device' ? null : input.model,
          firmwareVersion: input.scope === 'firmware' ? input.firmwareVersion : null,
          reason: input.reason,
          incidentId: input.incidentId ?? null,
          createdBy: by.id,
          expiresAt: input.expiresAt ?? null,
        }),
      );
      const named = devicesNamedBy(quarantine);
      const [, devicesQuarantined] = await manager.query(
        `UPDATE device d SET state = 'quarantined', updated_at = now() WHERE ${named.sql} AND d.state <> 'quarantined'`,
        named.params,
      );
      await this.audit.record(manager, {
        action: 'quarantines.create',
        targetType: 'quarantine',
        targetId: quarantine.id,
        reason: input.reason,
        summary: {
          scope: quarantine.scope,
          deviceId: quarantine.deviceId,
          model: quarantine.model,
          firmwareVersion: quarantine.firmwareVersion,
          incidentId: quarantine.incidentId,
          expiresAt: quarantine.expiresAt?.toISOString() ?? null,
          devicesQuarantined,
        },
      });
      return quarantine.id;
    });
    await this.changes.announce();
    return this.queries.get(id);
  }

  async release(id: string, input: ReleaseQuarantine, by: Pick<User, 'id'>) {
    if (!isUuid(id)) throw new NotFoundException(`No quarantine with id "${id}"`);
    await this.dataSource.transaction(async (manager) => {
      await serialiseChanges(manager);
      const quarantine = await manager.findOneBy(Quarantine, { id });
      if (!quarantine) throw new NotFoundException(`No quarantine with id "${id}"`);
      if (quarantine.releasedAt) {
        throw new ConflictException(`This quarantine was already released on ${quarantine.releasedAt.toISOString()}`);
      }
      await manager.update(Quarantine, { id }, { releasedAt: () => 'now()', releasedBy: by.id, releaseReason: input.reason });
      // Back to active only where no other active quarantine still names the device.
      const named = devicesNamedBy(quarantine);
      const stillHeld = underActiveQuarantine({ deviceId: 'd.id', model: 'd.model', firmware: 'd.firmware_version' });
      const [, devicesReleased] = await manager.query(
        `UPDATE device d SET state = 'active', updated_at = now() WHERE ${named.sql} AND d.state = 'quarantined' AND NOT ${stillHeld}`,
        named.params,
      );
      await this.audit.record(manager, {
        action: 'quarantines.release',
        targetType: 'quarantine',
        targetId: id,
        reason: input.reason,
        summary: {
          scope: quarantine.scope,
          deviceId: quarantine.deviceId,
          model: quarantine.model,
          firmwareVersion: quarantine.firmwareVersion,
          wasExpired: quarantine.expiresAt !== null && quarantine.expiresAt.getTime() <= Date.now(),
          devicesReleased,
        },
      });
    });
    await this.changes.announce();
    return this.queries.get(id);
  }
}
