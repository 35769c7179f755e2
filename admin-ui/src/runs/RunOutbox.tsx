import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import MuiButton from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import ReplayIcon from '@mui/icons-material/Replay';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCanAccess, useDataProvider, useNotify, useRefresh, useTranslate } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { ReasonDialog } from '../common/ReasonDialog';
import { StateChipField } from '../common/StateChipField';
import { apiPath, type AppDataProvider } from '../providers/dataProvider';
import { MOVING_RUN_STATUSES, NOTICE_STATUS_COLOR, NOTICE_STATUSES, type NoticeStatus, type Run, type RunNotice } from './runTypes';
import { t, useFormatCount } from './useRunApi';

type SortField = 'updatedAt' | 'sentAt' | 'status' | 'toAddress';

/** `GET /api/notifications/settings`: the mail sink that keeps what was sent (demo and test stacks), or null. */
function useMailSinkUrl(): string | null {
  const dataProvider = useDataProvider<AppDataProvider>();
  const { data } = useQuery({
    queryKey: ['notifications', 'settings'],
    queryFn: async ({ signal }) =>
      (await dataProvider.call<{ sinkUrl: string | null }>({ path: apiPath('notifications', 'settings'), signal })).data,
    staleTime: Infinity,
  });
  return data?.sinkUrl ?? null;
}

/**
 * A sent notice as the sink received it. The sink keys messages by its own id and the page's
 * CSP keeps the browser from asking another origin, so the API looks the message up by its
 * Message-ID and redirects to the sink's rendered copy (`GET /messages/:id/html`).
 */
function SinkLink({ notice }: { notice: RunNotice }) {
  const translate = useTranslate();
  return (
    <Link
      href={`/api/${apiPath('runs', notice.runId, 'notices', notice.id, 'message')}`}
      target="_blank"
      rel="noopener noreferrer"
      variant="body2"
      sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, whiteSpace: 'nowrap' }}
      data-testid="run-notice-sink-link"
    >
      {translate(t('outbox.view_message'))}
      <OpenInNewIcon sx={{ fontSize: 14 }} />
    </Link>
  );
}

/**
 * The run's outbox (`GET /api/runs/:id/notices`): every customer notice with its status,
 * recipient, subject, when it was sent and the last error, filtered by status, sorted and
 * paged by the API; a sent one links to the mail sink's copy when a sink is configured.
 * Failed notices can be sent again with a reason (`POST /api/runs/:id/notices/retry`).
 */
export function RunOutbox({ run }: { run: Run }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const count = useFormatCount();
  const dataProvider = useDataProvider<AppDataProvider>();
  const sinkUrl = useMailSinkUrl();
  const { canAccess: canRead } = useCanAccess({ resource: 'runs', action: 'notices' });
  const { canAccess: canRetry } = useCanAccess({ resource: 'runs', action: 'retry-notices' });
  const [status, setStatus] = useState<NoticeStatus | 'all'>('all');
  const [sort, setSort] = useState<{ field: SortField; order: 'ASC' | 'DESC' }>({ field: 'updatedAt', order: 'DESC' });
  const [page, setPage] = useState(0);
  const [perPage, setPerPage] = useState(10);
  const [retrying, setRetrying] = useState(false);
  const moving = MOVING_RUN_STATUSES.includes(run.status);

  const list = useQuery({
    // Read again when the run's state changes too: its last notice may be sent just before it completes.
    queryKey: ['runs', run.id, 'notices', run.status, status, sort.field, sort.order, page, perPage],
    queryFn: async ({ signal }) =>
      (
        await dataProvider.call<{ data: RunNotice[]; total: number }>({
          path: apiPath('runs', run.id, 'notices'),
          query: {
            ...(status === 'all' ? {} : { status }),
            _page: page + 1,
            _perPage: perPage,
            _sort: sort.field,
            _order: sort.order,
          },
          signal,
        })
      ).data,
    enabled: Boolean(canRead),
    placeholderData: keepPreviousData,
    refetchInterval: moving ? 2000 : false,
  });
  // Every failed notice of the run, follow-ups included: what "retry failed" sends again.
  const failed = useQuery({
    queryKey: ['runs', run.id, 'notices', run.status, 'failed-count'],
    queryFn: async ({ signal }) =>
      (
        await dataProvider.call<{ total: number }>({
          path: apiPath('runs', run.id, 'notices'),
          query: { status: 'failed', _perPage: 1 },
          signal,
        })
      ).data.total,
    enabled: Boolean(canRead),
    refetchInterval: moving ? 2000 : false,
  });
  if (!canRead) return null;

  const failedCount = failed.data ?? 0;
  const mayRetry = Boolean(canRetry) && run.allowedControls.includes('retry') && failedCount > 0;
  const sortBy = (field: SortField) => {
    setSort((current) => ({ field, order: current.field === field && current.order === 'DESC' ? 'ASC' : 'DESC' }));
    setPage(0);
  };
  const head = (field: SortField | null, label: string) => (
    <TableCell sortDirection={field && sort.field === field ? (sort.order === 'ASC' ? 'asc' : 'desc') : false}>
      {field ? (
        <TableSortLabel
          active={sort.field === field}
          direction={sort.field === field && sort.order === 'ASC' ? 'asc' : 'desc'}
          onClick={() => sortBy(field)}
          data-testid={`run-outbox-sort-${field}`}
        >
          {translate(t(`outbox.columns.${label}`))}
        </TableSortLabel>
      ) : (
        translate(t(`outbox.columns.${label}`))
      )}
    </TableCell>
  );

  const confirmRetry = async (reason: string) => {
    try {
      await dataProvider.call({ method: 'POST', path: apiPath('runs', run.id, 'notices', 'retry'), body: { reason } });
      notify(t('outbox.retry.done'), { type: 'success', messageArgs: { smart_count: failedCount, count: count(failedCount) } });
    } catch (error) {
      // Someone retried them (or the run moved on) meanwhile: say what the server says.
      if ((error as { status?: number })?.status !== 409) throw error;
      notify((error as Error).message, { type: 'warning' });
    }
    setRetrying(false);
    refresh();
  };

  const total = list.data?.total ?? 0;
  return (
    <Paper variant="outlined" sx={{ p: 2.5 }} data-testid="run-outbox" data-total={total} data-failed={failedCount}>
      <Stack
        direction={{ xs: 'column', sm: 'row' }}
        spacing={1}
        sx={{ justifyContent: 'space-between', alignItems: { sm: 'center' }, mb: 1 }}
      >
        <Box>
          <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', fontWeight: 600 }}>
            {translate(t('outbox.title'))}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {translate(t(sinkUrl ? 'outbox.intro_sink' : 'outbox.intro'))}
          </Typography>
        </Box>
        {mayRetry && (
          <MuiButton
            variant="contained"
            color="error"
            startIcon={<ReplayIcon />}
            onClick={() => setRetrying(true)}
            sx={{ flexShrink: 0 }}
            data-testid="run-retry-notices-button"
          >
            {translate(t('outbox.retry.button'), { smart_count: failedCount, count: count(failedCount) })}
          </MuiButton>
        )}
      </Stack>
      <ToggleButtonGroup
        size="small"
        exclusive
        value={status}
        onChange={(_event, value: NoticeStatus | 'all' | null) => {
          if (!value) return;
          setStatus(value);
          setPage(0);
        }}
        sx={{ mb: 1, flexWrap: 'wrap' }}
        aria-label={translate(t('outbox.filter'))}
        data-testid="run-outbox-filter"
      >
        <ToggleButton value="all" data-testid="run-outbox-filter-all">
          {translate(t('outbox.all'))}
        </ToggleButton>
        {NOTICE_STATUSES.map((s) => (
          <ToggleButton key={s} value={s} data-testid={`run-outbox-filter-${s}`}>
            {translate(t(`notice_statuses.${s}`))}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      {list.error ? (
        <Alert severity="error">{(list.error as Error).message}</Alert>
      ) : list.isPending ? (
        <Skeleton height={80} />
      ) : total === 0 ? (
        <Typography variant="body2" color="text.secondary" data-testid="run-outbox-empty">
          {translate(t(status === 'all' ? 'outbox.empty' : 'outbox.empty_status'), {
            status: translate(t(`notice_statuses.${status}`), { _: status }),
          })}
        </Typography>
      ) : (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="run-outbox-table">
            <TableHead>
              <TableRow>
                {head('status', 'status')}
                {head('toAddress', 'recipient')}
                {head(null, 'subject')}
                {head('sentAt', 'sent')}
                {head(null, 'error')}
                {sinkUrl && head(null, 'message')}
              </TableRow>
            </TableHead>
            <TableBody>
              {list.data?.data.map((notice) => (
                <TableRow
                  key={notice.id}
                  data-testid="run-notice"
                  data-notice-id={notice.id}
                  data-status={notice.status}
                  data-template={notice.template}
                  sx={{ '& td': { verticalAlign: 'top' } }}
                >
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    <StateChipField record={notice} source="status" labels={t('notice_statuses')} colors={NOTICE_STATUS_COLOR} />
                    {notice.attempts > 1 && (
                      <Typography variant="caption" color="text.secondary" component="div">
                        {translate(t('outbox.attempts'), { smart_count: notice.attempts, count: count(notice.attempts) })}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }} data-testid="run-notice-recipient">
                      {notice.toAddress ?? translate(t('outbox.no_address'))}
                    </Typography>
                    {notice.customerName && (
                      <Typography variant="caption" color="text.secondary" component="div">
                        {notice.customerName}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell sx={{ maxWidth: 320 }}>
                    {notice.template !== 'incident_notice' && (
                      <Chip
                        size="small"
                        variant="outlined"
                        color="warning"
                        label={translate(t(`outbox.templates.${notice.template}`), { _: notice.template })}
                        sx={{ mb: 0.5 }}
                      />
                    )}
                    <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
                      {notice.subject ?? (
                        <Box component="span" sx={{ color: 'text.secondary' }}>
                          {translate(t('outbox.no_subject'))}
                        </Box>
                      )}
                    </Typography>
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    {notice.sentAt ? <DateTimeField record={notice} source="sentAt" /> : '—'}
                  </TableCell>
                  <TableCell sx={{ maxWidth: 320 }}>
                    {notice.errorMessage ? (
                      <Typography
                        variant="body2"
                        color={notice.status === 'failed' ? 'error.main' : 'text.secondary'}
                        sx={{ overflowWrap: 'anywhere' }}
                        data-testid="run-notice-error"
                      >
                        {notice.errorMessage}
                      </Typography>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                  {sinkUrl && <TableCell>{notice.status === 'sent' ? <SinkLink notice={notice} /> : '—'}</TableCell>}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <TablePagination
            component="div"
            count={total}
            page={page}
            onPageChange={(_event, next) => setPage(next)}
            rowsPerPage={perPage}
            onRowsPerPageChange={(event) => {
              setPerPage(Number(event.target.value));
              setPage(0);
            }}
            rowsPerPageOptions={[10, 25, 50, 100]}
            labelRowsPerPage={translate('ra.navigation.page_rows_per_page')}
            data-testid="run-outbox-pagination"
          />
        </Box>
      )}
      {retrying && (
        <ReasonDialog
          open
          onClose={() => setRetrying(false)}
          onConfirm={confirmRetry}
          title={translate(t('outbox.retry.title'), { reference: run.reference })}
          intro={translate(t(run.status === 'paused' ? 'outbox.retry.intro_paused' : 'outbox.retry.intro'), {
            smart_count: failedCount,
            count: count(failedCount),
          })}
          reasonLabel={t('outbox.retry.reason')}
          reasonHelper={t('outbox.retry.reason_hint')}
          confirmLabel={translate(t('outbox.retry.confirm'), { smart_count: failedCount, count: count(failedCount) })}
          confirmColor="error"
          data-testid="run-retry-notices-dialog"
        />
      )}
    </Paper>
  );
}
