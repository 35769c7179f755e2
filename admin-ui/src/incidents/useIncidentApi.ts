import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useTranslate } from 'react-admin';
import { apiPath, type AppDataProvider, type ApiCallParams } from '../providers/dataProvider';

/** How the permission matrix treats a written reason for an action (`GET /api/auth/permissions`). */
export type ReasonPolicy = 'required' | 'optional' | 'none';

// Used until the matrix has loaded (and if it cannot be read): what it says today.
const knownPolicies: Record<string, ReasonPolicy> = {
  'incidents.create': 'optional',
  'incidents.edit': 'optional',
  'incidents.post-update': 'none',
  'incidents.members': 'required',
};

/** Whether `action` needs a reason, straight from the server's permission matrix. */
export function useReasonPolicy(action: string): ReasonPolicy {
  const dataProvider = useDataProvider<AppDataProvider>();
  const { data } = useQuery({
    queryKey: ['auth', 'permissions'],
    queryFn: async ({ signal }) =>
      (await dataProvider.call<{ action: string; reason: ReasonPolicy }[]>({ path: apiPath('auth', 'permissions'), signal })).data,
    staleTime: Infinity,
  });
  return data?.find((entry) => entry.action === action)?.reason ?? knownPolicies[action] ?? 'optional';
}

/** `call` bound to one incident: `incidentCall(id)({ method: 'POST', path: ['transition'], body })`. */
export function useIncidentCall() {
  const dataProvider = useDataProvider<AppDataProvider>();
  return async <T>(id: string, { path, ...rest }: Omit<ApiCallParams, 'path'> & { path: string[] }) =>
    (await dataProvider.call<T>({ ...rest, path: apiPath('incidents', id, ...path) })).data;
}

/** The server's own sentence for a failed call (409 refusals name states, counts and conflicting orders). */
export function useErrorText() {
  const translate = useTranslate();
  return (error: unknown) => (error as { message?: string } | null)?.message || translate('ra.notification.http_error');
}

/** A reason as the API wants it: trimmed, and left out when empty. */
export const reasonOrUndefined = (reason: string) => reason.trim() || undefined;

/** The matrix's reason rule lives with the shared reason dialog. */
export { REASON_MIN_LENGTH } from '../common/ReasonDialog';
