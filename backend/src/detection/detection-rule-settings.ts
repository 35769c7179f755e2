import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { validationError } from '../http/validation.js';
import { detectionRules, ruleById } from './rules/index.js';

export const ruleUpdateSchema = z
  .strictObject({
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
    thresholds: z.record(z.string(), z.unknown(), { error: 'must be an object of numbers' }).optional(),
    reason: z.string().trim().max(1000).optional(),
  })
  .refine((body) => body.enabled !== undefined || body.thresholds !== undefined, {
    message: 'names nothing to change (enabled or thresholds)',
  });

export interface RuleSetting {
  id: string;
  title: string;
  description: string;
  enabled: boolean;
  thresholds: Record<string, number>;
  updatedAt: Date;
}

/** Admin-editable switches and thresholds of the detection rules, validated by each rule's own schema. */
@Injectable()
export class DetectionRuleSettings {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<RuleSetting[]> {
    const rows: { id: string; enabled: boolean; thresholds: Record<string, number>; updated_at: Date }[] = await this.dataSource.query(
      `SELECT id, enabled, thresholds, updated_at FROM detection_rule ORDER BY id`,
    );
    return rows.flatMap((row) => {
      const rule = ruleById(row.id);
      return rule
        ? [
            {
              id: row.id,
              title: rule.title,
              description: rule.description,
              enabled: row.enabled,
              thresholds: row.thresholds,
              updatedAt: row.updated_at,
            },
          ]
        : [];
    });
  }

  async get(id: string): Promise<RuleSetting> {
    const setting = (await this.list()).find((rule) => rule.id === id);
    if (!setting) throw new NotFoundException(`No detection rule "${id}"; rules are ${detectionRules.map((r) => r.id).join(', ')}`);
    return setting;
  }

  async update(id: string, body: z.infer<typeof ruleUpdateSchema>): Promise<RuleSetting> {
    const before = await this.get(id);
    const rule = ruleById(id)!;
    let thresholds = before.thresholds;
    if (body.thresholds) {
      const parsed = rule.thresholdsSchema.safeParse({ ...before.thresholds, ...body.thresholds });
      if (!parsed.success) {
        const error = validationError(parsed.error, `thresholds of ${id}`);
        const response = error.getResponse() as { message: string; fields: { field: string; message: string }[] };
        throw new BadRequestException({ ...response, fields: response.fields.map((f) => ({ ...f, field: `thresholds.${f.field}` })) });
      }
      thresholds = parsed.data;
    }
    const enabled = body.enabled ?? before.enabled;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE detection_rule SET enabled = $2, thresholds = $3, updated_at = now() WHERE id = $1`, [
        id,
        enabled,
        thresholds,
      ]);
      await this.audit.record(manager, {
        action: 'detection-rules.edit',
        targetType: 'detection-rule',
        targetId: id,
        reason: body.reason,
        summary: { enabled: { from: before.enabled, to: enabled }, thresholds: { from: before.thresholds, to: thresholds } },
      });
    });
    return this.get(id);
  }
}
