import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import type { ErrorBody } from './error-body.js';

/** Turns zod issues into the API's 400: a summary message and one entry per field. */
export function validationError(error: z.ZodError, what: string): BadRequestException {
  const fields = error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return { field: [path, issue.keys[0]].filter(Boolean).join('.'), message: `is not a known field (${issue.keys.join(', ')})` };
    }
    return { field: path || '(body)', message: issue.message };
  });
  const body: ErrorBody = {
    statusCode: 400,
    error: 'Bad Request',
    message: `Invalid ${what}: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`,
    fields,
  };
  return new BadRequestException(body);
}

/** Validates and types a request body (or query) with a zod schema; unknown fields are errors. */
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(
    private readonly schema: T,
    private readonly what = 'request body',
  ) {}

  transform(value: unknown): z.infer<T> {
    const result = this.schema.safeParse(value ?? {});
    if (!result.success) throw validationError(result.error, this.what);
    return result.data;
  }
}

/** The JSON Schema of a zod schema, for @ApiBody / @ApiQuery in the OpenAPI document. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
