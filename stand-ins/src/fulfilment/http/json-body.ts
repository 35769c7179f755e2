import type { IncomingMessage } from 'node:http';
import { readBody } from '../../shared/read-body.js';
import { invalidJson } from '../errors.js';

/** A POST body as a JSON object; empty means `{}`. Anything else is 400 invalid_json. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req, 64 * 1024);
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidJson((error as Error).message);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidJson('expected an object');
  return value as Record<string, unknown>;
}
