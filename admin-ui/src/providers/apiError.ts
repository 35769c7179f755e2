import { HttpError } from 'react-admin';

/** Error body every backend endpoint returns (see backend error filter). */
export interface ApiErrorBody {
  statusCode: number;
  error?: string;
  message?: string;
  fields?: { field: string; message: string }[];
}

/**
 * Field errors in the shape react-admin forms understand: `{ field: message }`,
 * plus `root.serverError` so the form's "invalid" toast shows the server's
 * own sentence instead of a generic one.
 */
export type FormErrors = Record<string, string | { serverError: string }>;

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && 'statusCode' in value;
}

export function toFormErrors(body: ApiErrorBody): FormErrors | undefined {
  if (!body.fields?.length) return undefined;
  const errors: FormErrors = {};
  for (const { field, message } of body.fields) errors[field] = message;
  if (body.message) errors.root = { serverError: body.message };
  return errors;
}

/**
 * Turns a non-2xx response into react-admin's HttpError. The message is the
 * server's human text, so notifications show something a person can act on.
 */
export function toHttpError(status: number, statusText: string, json: unknown): HttpError {
  const body = isApiErrorBody(json) ? json : undefined;
  const message = body?.message || statusText || `HTTP ${status}`;
  const errors = status === 400 && body ? toFormErrors(body) : undefined;
  return new HttpError(message, status, errors ? { ...body, errors } : (body ?? json ?? null));
}
