import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DecisionCache } from './decision-cache.js';
import { decideDevice, type DeviceDecision, type MatchedQuarantine } from './device-decision.js';
import { activeQuarantine, quarantineCovers } from './quarantine-match.sql.js';
import { QuarantineChanges } from './quarantine-changes.js';

/** Enough for a large fleet's active devices; about 200 bytes each. */
const maxCachedDecisions = 50_000;
/**
 * A safety net only: changes clear the cache at once (quarantine-changes.ts) and
 * quarantine expiries bound each entry; past it an answer is re-read in the background.
 */
const decisionTtlMs = 30_000;

export interface ReportedDevice {
  /** What the storefront says the device runs; checked beside what we have stored. */
  model?: string;
  firmware?: string;
}

// Both what the device last reported in an order and what the storefront reports now
// are checked: a device that just updated into a quarantined firmware is stopped at once.
const lookupSql = `
  WITH subject AS (
    SELECT d.id IS NOT NULL AS known, d.model, d.firmware_version
    FROM (SELECT 1) AS one LEFT JOIN device d ON d.id = $1
  )
  SELECT s.known,
    COALESCE((
      SELECT json_agg(json_build_object('id', q.id, 'scope', q.scope, 'reason', q.reason, 'model', q.model,
                                        'firmwareVersion', q.firmware_version, 'expiresAt', q.expires_at))
      FROM quarantine q
      WHERE ${activeQuarantine('q')}
        AND (${quarantineCovers('q', { deviceId: '$1', model: 's.model', firmware: 's.firmware_version' })}
          OR ${quarantineCovers('q', { deviceId: 'NULL', model: '$2', firmware: '$3' })})
    ), '[]') AS matches
  FROM subject s`;

/**
 * The storefront's hot path: answers from an in-process cache, and on a miss
 * reads the device and its active quarantines in one statement.
 */
@Injectable()
export class DeviceAuthorizationService {
  private readonly cache = new DecisionCache<DeviceDecision>(maxCachedDecisions, decisionTtlMs);
  /** Answers from the cache and from PostgreSQL since start (read by the bench). */
  readonly stats = { hits: 0, misses: 0 };
  private readonly inFlight = new Map<string, Promise<DeviceDecision>>();

  constructor(
    private readonly dataSource: DataSource,
    changes: QuarantineChanges,
  ) {
    changes.onChange(() => this.forget());
  }

  async check(deviceId: string, reported: ReportedDevice = {}): Promise<DeviceDecision> {
    const key = `${deviceId}\u0000${reported.model ?? ''}\u0000${reported.firmware ?? ''}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.stats.hits++;
      // Past the TTL: answer at once and refresh behind it, so a busy device never waits on PostgreSQL.
      // A failed refresh drops the entry: the next request then looks up in the foreground and sees the error.
      if (cached.stale) this.lookup(key, deviceId, reported).catch(() => this.cache.delete(key));
      return cached.value;
    }
    this.stats.misses++;
    return this.lookup(key, deviceId, reported);
  }

  /**
   * One read per key at a time: concurrent askers about the same device share
   * it. A change empties this too (see forget), so nobody asking after a
   * change joins a read that began before it.
   */
  private lookup(key: string, deviceId: string, reported: ReportedDevice): Promise<DeviceDecision> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    const pending: Promise<DeviceDecision> = this.read(key, deviceId, reported).finally(() => {
      if (this.inFlight.get(key) === pending) this.inFlight.delete(key);
    });
    this.inFlight.set(key, pending);
    return pending;
  }

  private async read(key: string, deviceId: string, reported: ReportedDevice): Promise<DeviceDecision> {
    const generation = this.cache.currentGeneration;
    const [row]: { known: boolean; matches: (Omit<MatchedQuarantine, 'expiresAt'> & { expiresAt: string | null })[] }[] =
      await this.dataSource.query(lookupSql, [deviceId, reported.model ?? null, reported.firmware ?? null]);
    const matches = row!.matches.map((m) => ({ ...m, expiresAt: m.expiresAt ? new Date(m.expiresAt) : null }));
    const { decision, validUntil } = decideDevice({ deviceId, known: row!.known, matches });
    this.cache.set(key, decision, generation, validUntil);
    return decision;
  }

  /** Drops every cached answer and in-flight read (tests, and the change listener). */
  forget(): void {
    this.cache.clear();
    this.inFlight.clear();
  }
}
