import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import { apiPath, type AppDataProvider } from '../providers/dataProvider';
import { isOpenReconciliation, type Bucket, type LedgerTally, type Reconciliation } from './ledgerTypes';

/** How often an open reconciliation is asked about (it is a background job of seconds to minutes). */
const POLL_MS = 1000;
const REPORTS_SHOWN = 20;

/** `GET /api/incidents/:id/ledger/tally?bucket=`: the figures stay on screen while another bucket size loads. */
export function useLedgerTally(incidentId: string, bucket: Bucket) {
  const dataProvider = useDataProvider<AppDataProvider>();
  return useQuery({
    queryKey: ['ledger', incidentId, 'tally', bucket],
    queryFn: async ({ signal }) =>
      (await dataProvider.call<LedgerTally>({ path: apiPath('incidents', incidentId, 'ledger', 'tally'), query: { bucket }, signal })).data,
    placeholderData: keepPreviousData,
    enabled: Boolean(incidentId),
  });
}

/** The incident's reconciliation reports, newest first; asked again every second while one is queued or running. */
export function useReconciliations(incidentId: string, enabled: boolean) {
  const dataProvider = useDataProvider<AppDataProvider>();
  return useQuery({
    queryKey: ['reconciliations', incidentId],
    queryFn: async ({ signal }) =>
      (
        await dataProvider.call<{ data: Reconciliation[]; total: number }>({
          path: apiPath('incidents', incidentId, 'reconciliations'),
          query: { _sort: 'requestedAt', _order: 'DESC', _perPage: REPORTS_SHOWN },
          signal,
        })
      ).data,
    enabled,
    refetchInterval: (query) => (query.state.data?.data.some(isOpenReconciliation) ? POLL_MS : false),
  });
}

/** One report with every difference; polled until it is completed or failed. */
export function useReconciliation(incidentId: string, reconciliationId: string | undefined) {
  const dataProvider = useDataProvider<AppDataProvider>();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ['reconciliations', incidentId, reconciliationId],
    queryFn: async ({ signal }) => {
      const report = (
        await dataProvider.call<Reconciliation>({ path: apiPath('incidents', incidentId, 'reconciliations', reconciliationId!), signal })
      ).data;
      // Finished: the list of reports shows it finished too, without waiting for its own poll.
      if (!isOpenReconciliation(report)) void queryClient.invalidateQueries({ queryKey: ['reconciliations', incidentId], exact: true });
      return report;
    },
    enabled: Boolean(reconciliationId),
    refetchInterval: (query) => (query.state.data && isOpenReconciliation(query.state.data) ? POLL_MS : false),
  });
}

/** `POST /api/incidents/:id/reconciliations` (202 with the queued report, or the one already open). */
export function useRequestReconciliation(incidentId: string) {
  const dataProvider = useDataProvider<AppDataProvider>();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (reason: string | undefined) =>
      (
        await dataProvider.call<Reconciliation>({
          method: 'POST',
          path: apiPath('incidents', incidentId, 'reconciliations'),
          body: reason ? { reason } : {},
        })
      ).data,
    onSuccess: (report) => {
      queryClient.setQueryData(['reconciliations', incidentId, report.id], report);
      void queryClient.invalidateQueries({ queryKey: ['reconciliations', incidentId], exact: true });
    },
  });
}
