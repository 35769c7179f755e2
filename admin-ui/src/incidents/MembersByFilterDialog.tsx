import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { Form, useNotify, useRefresh, useTranslate } from 'react-admin';
import { ActionDialog } from './ActionDialog';
import { MEMBERSHIP_ACTIONS, type Incident, type MemberCount, type MembershipAction, type MembershipResult } from './incidentTypes';
import { filterKey, type OrderFilter } from './orderFilter';
import { OrderFilterInputs, OrderFilterWatcher, useDebounced } from './OrderFilterInputs';
import { useErrorText, useIncidentCall } from './useIncidentApi';

/** The exact count of orders an order filter matches now, with how many are here or in another open incident. */
function useMemberCount(incidentId: string, filter: OrderFilter, enabled: boolean) {
  const call = useIncidentCall();
  const settled = useDebounced(filter, filterKey(filter));
  const current = settled.key === filterKey(filter);
  const query = useQuery({
    queryKey: ['incident-member-count', incidentId, settled.key],
    queryFn: ({ signal }) => call<MemberCount>(incidentId, { path: ['members', 'count'], query: settled.value, signal }),
    enabled,
    // A count shown before a bulk change must be fresh, never a cached one.
    gcTime: 0,
    staleTime: 0,
    retry: false,
  });
  return { ...query, current, counted: settled.value };
}

/**
 * "All orders matching this filter": the person builds a filter with the
 * orders list's inputs, sees the exact count (GET …/members/count), and
 * confirms that number; the API acts only if the filter still matches exactly
 * that many (a 409 otherwise), refuses orders of another open incident (409
 * listing them), and changes nothing for a filter that matches nothing.
 */
export function MembersByFilterDialog({ incident, open, onClose }: { incident: Incident; open: boolean; onClose: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const call = useIncidentCall();
  const errorText = useErrorText();
  const [action, setAction] = useState<MembershipAction>('confirm');
  const [filter, setFilter] = useState<OrderFilter>({});
  const count = useMemberCount(incident.id, filter, open);

  useEffect(() => {
    if (open) setAction('confirm');
  }, [open]);

  const result = count.current && !count.isFetching ? count.data : undefined;
  const matched = result?.count;

  const apply = async (reason: string | undefined) => {
    const res = await call<MembershipResult>(incident.id, {
      method: 'POST',
      path: ['members'],
      body: { action, filter: count.counted, expectedCount: matched, reason },
    });
    notify('resources.incidents.notifications.members_changed', {
      type: 'success',
      messageArgs: {
        verb: translate(`resources.incidents.membership_verbs.${action}`),
        smart_count: res.matched,
        added: res.added,
        changed: res.changed,
        unchanged: res.unchanged,
      },
    });
    refresh();
  };

  return (
    <ActionDialog
      open={open}
      onClose={onClose}
      maxWidth="md"
      title={translate('resources.incidents.members.by_filter_title', { reference: incident.reference })}
      confirmLabel={translate(`resources.incidents.members.apply.${action}`, { smart_count: matched ?? 0 })}
      confirmColor={action === 'exclude' ? 'primary' : action === 'confirm' ? 'error' : 'warning'}
      confirmDisabled={!matched}
      action="incidents.members"
      onConfirm={apply}
      data-testid="incident-members-filter-dialog"
    >
      <Typography variant="body2" color="text.secondary">
        {translate('resources.incidents.members.by_filter_intro')}
      </Typography>
      <ToggleButtonGroup
        exclusive
        size="small"
        color="primary"
        value={action}
        onChange={(_, value: MembershipAction | null) => value && setAction(value)}
        data-testid="incident-members-filter-action"
      >
        {MEMBERSHIP_ACTIONS.map((a) => (
          <ToggleButton key={a} value={a} data-testid={`incident-members-filter-action-${a}`} sx={{ px: 2 }}>
            {translate(`resources.incidents.actions.${a}`)}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      <Form onSubmit={() => undefined} record={{}} sanitizeEmptyValues={false}>
        <OrderFilterWatcher onChange={setFilter} />
        <OrderFilterInputs />
      </Form>
      <Paper variant="outlined" sx={{ p: 2, bgcolor: 'action.hover' }} data-testid="incident-members-count-panel">
        {count.isError && count.current ? (
          <Alert severity="error" data-testid="incident-members-count-error">
            {errorText(count.error)}
          </Alert>
        ) : result === undefined ? (
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <CircularProgress size={18} />
            <Typography variant="body2">{translate('resources.incidents.members.counting')}</Typography>
          </Stack>
        ) : (
          <Stack spacing={1}>
            <Box>
              <Typography
                component="span"
                variant="h5"
                sx={{ fontWeight: 700, fontVariantNumeric: 'tabular-nums', mr: 1 }}
                data-testid="incident-members-count"
                data-count={result.count}
              >
                {result.count.toLocaleString()}
              </Typography>
              <Typography component="span" variant="body1">
                {translate('resources.incidents.members.match', { smart_count: result.count })}
              </Typography>
            </Box>
            {result.count > 0 && (
              <Typography variant="body2" color="text.secondary" data-testid="incident-members-count-detail">
                {translate('resources.incidents.members.count_detail', {
                  here: result.inThisIncident,
                  other: result.inOtherOpenIncidents,
                })}
              </Typography>
            )}
            {result.count === 0 && (
              <Alert severity="info" data-testid="incident-members-count-none">
                {translate('resources.incidents.members.matches_nothing')}
              </Alert>
            )}
            {result.inOtherOpenIncidents > 0 && action !== 'exclude' && (
              <Alert severity="warning" data-testid="incident-members-conflicts">
                {translate('resources.incidents.members.conflicts', { smart_count: result.inOtherOpenIncidents })}
              </Alert>
            )}
          </Stack>
        )}
      </Paper>
    </ActionDialog>
  );
}
