import { useQuery } from '@tanstack/react-query';
import { useDataProvider, type RaRecord } from 'react-admin';

/** Ids per `GET /api/orders?id=…` request: keeps the URL well under the server's header limit. */
const CHUNK = 100;
/** Beyond this many orders the page shows the first ones and says so (the incident has them all). */
export const MAX_LOADED_ORDERS = 2000;

export interface ProposalOrders {
  orders: RaRecord[];
  /** True when the proposal has more orders than were loaded. */
  truncated: boolean;
}

/**
 * The orders a proposal names, read through the orders list endpoint by id
 * (chunked). Evidence hits are matched against them in
 * the browser. Keyed by `updatedAt`, so a refreshed proposal reloads.
 */
export function useProposalOrders(proposal: { id: string; updatedAt?: string; orderIds?: string[] } | undefined) {
  const dataProvider = useDataProvider();
  const orderIds = proposal?.orderIds;
  return useQuery<ProposalOrders>({
    queryKey: ['proposals', 'orders-of', proposal?.id, proposal?.updatedAt, orderIds?.length],
    enabled: Boolean(orderIds),
    staleTime: 60_000,
    queryFn: async ({ signal }) => {
      const ids = (orderIds ?? []).slice(0, MAX_LOADED_ORDERS);
      const chunks: string[][] = [];
      for (let i = 0; i < ids.length; i += CHUNK) chunks.push(ids.slice(i, i + CHUNK));
      const pages = await Promise.all(
        chunks.map((chunk) =>
          dataProvider.getList('orders', {
            filter: { id: chunk },
            pagination: { page: 1, perPage: chunk.length },
            sort: { field: 'placedAt', order: 'DESC' },
            signal,
          }),
        ),
      );
      const orders = pages.flatMap((page) => page.data ?? []);
      orders.sort((a, b) => String(b.placedAt).localeCompare(String(a.placedAt)));
      return { orders, truncated: (orderIds?.length ?? 0) > ids.length };
    },
  });
}
