import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import MuiButton from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import ReportIcon from '@mui/icons-material/ReportProblem';
import { useQuery } from '@tanstack/react-query';
import {
  Create,
  Form,
  LinkBase,
  SelectInput,
  TextInput,
  maxLength,
  required,
  useDataProvider,
  useNotify,
  useRedirect,
  useTranslate,
} from 'react-admin';
import type { AppDataProvider } from '../providers/dataProvider';
import { ActionDialog } from './ActionDialog';
import { IncidentSeverityField } from './IncidentFields';
import { severityChoices, type Incident } from './incidentTypes';
import { filterKey, type OrderFilter } from './orderFilter';
import { OrderFilterInputs, OrderFilterWatcher, useDebounced } from './OrderFilterInputs';
import { useErrorText } from './useIncidentApi';

/**
 * How many orders the filter matches now: the orders list's own total for
 * the same filter keys, which is exactly what the API counts when declaring.
 */
function useOrderCount(filter: OrderFilter) {
  const dataProvider = useDataProvider<AppDataProvider>();
  const settled = useDebounced(filter, filterKey(filter));
  const query = useQuery({
    queryKey: ['incident-declare-count', settled.key],
    queryFn: async ({ signal }) =>
      (
        await dataProvider.getList('orders', {
          filter: settled.value,
          pagination: { page: 1, perPage: 1 },
          sort: { field: 'placedAt', order: 'DESC' },
          signal,
        })
      ).total ?? 0,
    gcTime: 0,
    staleTime: 0,
    retry: false,
  });
  const current = settled.key === filterKey(filter);
  return { ...query, counted: settled.value, count: current && !query.isFetching ? query.data : undefined };
}

const ordersListLink = (filter: OrderFilter) => ({ pathname: '/orders', search: `?filter=${encodeURIComponent(JSON.stringify(filter))}` });

function CountPanel({ count, filter }: { count: ReturnType<typeof useOrderCount>; filter: OrderFilter }) {
  const translate = useTranslate();
  const errorText = useErrorText();
  if (count.isError && count.count === undefined && !count.isFetching) {
    return (
      <Alert severity="error" data-testid="incident-declare-count-error">
        {errorText(count.error)}
      </Alert>
    );
  }
  return (
    <Paper variant="outlined" sx={{ p: 2, bgcolor: 'action.hover' }} data-testid="incident-declare-count-panel">
      {count.count === undefined ? (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <CircularProgress size={18} />
          <Typography variant="body2">{translate('resources.incidents.members.counting')}</Typography>
        </Stack>
      ) : (
        <>
          <Typography
            component="span"
            variant="h4"
            sx={{ fontWeight: 700, fontVariantNumeric: 'tabular-nums', mr: 1 }}
            data-testid="incident-declare-count"
            data-count={count.count}
          >
            {count.count.toLocaleString()}
          </Typography>
          <Typography component="span">{translate('resources.incidents.members.match', { smart_count: count.count })}</Typography>
          <Box sx={{ mt: 0.5 }}>
            <Link component={LinkBase} to={ordersListLink(filter)} variant="body2" data-testid="incident-declare-view-orders">
              {translate('resources.incidents.declare.view_orders')}
            </Link>
          </Box>
          {count.count === 0 && (
            <Alert severity="info" sx={{ mt: 1 }}>
              {translate('resources.incidents.members.matches_nothing')}
            </Alert>
          )}
        </>
      )}
    </Paper>
  );
}

interface DeclareValues {
  title: string;
  severity: Incident['severity'];
}

function DeclareForm() {
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [filter, setFilter] = useState<OrderFilter>({});
  const [pending, setPending] = useState<DeclareValues>();
  const count = useOrderCount(filter);

  const declare = async (reason: string | undefined) => {
    if (!pending || count.count === undefined) return;
    try {
      const { data } = await dataProvider.call<Incident>({
        method: 'POST',
        path: 'incidents',
        body: {
          title: pending.title.trim(),
          severity: pending.severity,
          orderFilter: count.counted,
          expectedCount: count.count,
          ...(reason ? { reason } : {}),
        },
      });
      notify('resources.incidents.notifications.declared', {
        type: 'success',
        messageArgs: { reference: data.reference, smart_count: data.members?.suspected ?? count.count },
      });
      redirect('show', 'incidents', data.id);
    } catch (error) {
      // A 409 may mean the count moved: show the new one for the next confirmation.
      void count.refetch();
      throw error;
    }
  };

  return (
    <Form onSubmit={(values: Record<string, unknown>) => setPending(values as unknown as DeclareValues)}>
      <OrderFilterWatcher onChange={setFilter} />
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '2fr 1fr' }, alignItems: 'start', p: 2 }}>
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
            {translate('resources.incidents.declare.which_orders')}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {translate('resources.incidents.declare.which_orders_help')}
          </Typography>
          <OrderFilterInputs />
        </Paper>
        <Paper variant="outlined" sx={{ p: 2, display: 'grid', gap: 1 }}>
          <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
            {translate('resources.incidents.declare.the_incident')}
          </Typography>
          <TextInput source="title" label="resources.incidents.fields.title" validate={[required(), maxLength(200)]} fullWidth />
          <SelectInput
            source="severity"
            label="resources.incidents.fields.severity"
            choices={severityChoices}
            validate={required()}
            fullWidth
          />
          <CountPanel count={count} filter={filter} />
          <Typography variant="caption" color="text.secondary">
            {translate('resources.incidents.declare.commander_hint')}
          </Typography>
          <MuiButton
            type="submit"
            variant="contained"
            color="error"
            size="large"
            startIcon={<ReportIcon />}
            disabled={!count.count}
            data-testid="incident-declare-submit"
          >
            {translate('resources.incidents.declare.submit', { smart_count: count.count ?? 0 })}
          </MuiButton>
        </Paper>
      </Box>
      <ActionDialog
        open={Boolean(pending)}
        onClose={() => setPending(undefined)}
        title={translate('resources.incidents.declare.confirm_title')}
        confirmLabel={translate('resources.incidents.declare.confirm', { smart_count: count.count ?? 0 })}
        confirmColor="error"
        confirmDisabled={count.count === undefined || count.count === 0}
        action="incidents.create"
        onConfirm={declare}
        data-testid="incident-declare-dialog"
      >
        {pending && (
          <Stack spacing={1}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <IncidentSeverityField record={{ id: 'new', severity: pending.severity }} />
              <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
                {pending.title}
              </Typography>
            </Stack>
            <Typography variant="body1" data-testid="incident-declare-confirm-count" data-count={count.count ?? ''}>
              {count.count === undefined
                ? translate('resources.incidents.members.counting')
                : translate('resources.incidents.declare.confirm_text', { smart_count: count.count })}
            </Typography>
          </Stack>
        )}
      </ActionDialog>
    </Form>
  );
}

/**
 * Declaring an incident by hand from an order filter (the orders list's
 * filters, carried over by its "Declare incident" button): the exact count of
 * matching orders is shown, then confirmed; the API declares only if the
 * filter still matches that many, all of them joining as suspected.
 */
export default function IncidentCreate() {
  return (
    <Create title="resources.incidents.declare.title" data-testid="incident-declare-page">
      <DeclareForm />
    </Create>
  );
}
