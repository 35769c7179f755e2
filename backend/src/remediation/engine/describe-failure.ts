import { ProviderFailure } from '../../payments/provider-failure.js';

/** A failure as the step or notice records it: a code and a message naming the provider. */
export function describe(error: unknown): { code: string; message: string } {
  if (error instanceof ProviderFailure) return { code: error.code, message: `${error.provider}: ${error.message}` };
  if (error instanceof Error) return { code: 'internal_error', message: error.message };
  return { code: 'internal_error', message: String(error) };
}
