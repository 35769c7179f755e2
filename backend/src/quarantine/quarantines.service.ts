import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, type Actor } from '../audit/audit.service.js';
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

  /**
   * Quarantines devices one by one (scope device) inside the caller's
   * transaction — a remediation run's planning — with the same rules as
   * `create`: changes taken one at a time, the device state written, one audit
   * row. Devices already under an active quarantine are left as they are.
   * The caller calls `announceChanges()` once its transaction has committed.
   */
  async quarantineDevices(
    manager: EntityManager,
    input: { deviceIds: string[]; reason: string; incidentId: string; createdBy: string | null },
    actor?: Actor,
  ): Promise<{ quarantined: number }> {
    if (!input.deviceIds.length) return { quarantined: 0 };
    await serialiseChanges(manager);
    const held = underActiveQuarantine({ deviceId: 'd.id', model: 'd.model', firmware: 'd.firmware_version' });
    const [{ quarantined, devicesQuarantined }] = await manager.query(
      `WITH created AS (
         INSERT INTO quarantine (scope, device_id, reason, incident_id, created_by)
         SELECT 'device', d.id, $2, $3, $4 FROM device d WHERE d.id = ANY($1::text[]) AND NOT ${held}
         RETURNING device_id
       ), marked AS (
         UPDATE device d SET state = 'quarantined', updated_at = now() FROM created c WHERE d.id = c.device_id AND d.state <> 'quarantined'
         RETURNING d.id
       )
       SELECT (SELECT count(*) FROM created) AS quarantined, (SELECT count(*) FROM marked) AS "devicesQuarantined"`,
      [input.deviceIds, input.reason, input.incidentId, input.createdBy],
    );
    await this.audit.record(
      manager,
      {
        action: 'quarantines.create',
        targetType: 'incident',
        targetId: input.incidentId,
        reason: input.reason,
        summary: { scope: 'device', quarantines: quarantined, devicesQuarantined, deviceIds: input.deviceIds.slice(0, 100) },
      },
      actor,
    );
    return { quarantined };
  }

  /** Tells every process that quarantines changed (storefront caches), after the change committed. */
  announceChanges(): Promise<void> {
    return this.changes.announce();
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
