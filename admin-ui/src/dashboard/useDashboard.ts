import { useQuery } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import { apiPath, type AppDataProvider } from '../providers/dataProvider';

/** Dashboards follow live work; a minute-old figure is fine, a stale afternoon is not. */
const REFRESH_MS = 30_000;

/** One read of the API (`GET /api/<path…>`) for a dashboard card, refreshed while the page is open. */
export function useDashboardRead<T>(...segments: string[]) {
  const dataProvider = useDataProvider<AppDataProvider>();
  return useQuery({
    queryKey: ['dashboard', ...segments],
    queryFn: async ({ signal }) => (await dataProvider.call<T>({ path: apiPath(...segments), signal })).data,
    refetchInterval: REFRESH_MS,
    retry: false,
  });
}
