import type { z } from 'zod';

/** One problem of one input line or row; `line`/`row` is 1-based. */
export interface InputError {
  line: number;
  field: string;
  message: string;
}

/** Reports stop growing here; counts stay exact. */
export const maxReportedErrors = 1000;

export function issuesToErrors(line: number, error: z.ZodError): InputError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return { line, field: [path, issue.keys[0]].filter(Boolean).join('.'), message: `is not a known field (${issue.keys.join(', ')})` };
    }
    return { line, field: path || '(line)', message: issue.message };
  });
}
