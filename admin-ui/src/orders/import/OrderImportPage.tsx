import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import Alert from '@mui/material/Alert';
import MuiButton from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import DownloadIcon from '@mui/icons-material/Download';
import FileIcon from '@mui/icons-material/AttachFile';
import PreviewIcon from '@mui/icons-material/Preview';
import ListIcon from '@mui/icons-material/List';
import {
  AccessDenied,
  Button,
  CanAccess,
  LinkBase,
  Title,
  useCloseNotification,
  useDataProvider,
  useNotify,
  useTranslate,
} from 'react-admin';
import type { AppDataProvider } from '../../providers/dataProvider';
import { CurrencyTotalsTable } from './CurrencyTotalsTable';
import { ImportErrorsTable } from './ImportErrorsTable';
import { orderCsvTemplateHref } from './csvTemplate';
import type { OrderImportPreview, OrderImportResult } from './types';

const ORDERS_LIST_PATH = '/orders';
const TEMPLATE_FILE_NAME = 'orders-import-template.csv';

type Step =
  | { name: 'choose' }
  | { name: 'previewing' }
  | { name: 'previewed'; preview: OrderImportPreview }
  | { name: 'importing'; preview: OrderImportPreview }
  | { name: 'imported'; result: OrderImportResult };

function errorMessage(error: unknown, translate: (key: string) => string): string {
  const { status, message } = (error ?? {}) as { status?: number; message?: string };
  // A proxy's 413 may have no JSON body; the server's own 413 carries its limit in `message`.
  if (status === 413 && (!message || message === 'Payload Too Large')) return translate('resources.orders.import.too_large');
  return message || translate('ra.notification.http_error');
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return new Intl.NumberFormat('en', { style: 'unit', unit: 'byte', unitDisplay: 'long' }).format(bytes);
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'kilobyte'] : [bytes / (1024 * 1024), 'megabyte'];
  return new Intl.NumberFormat('en', { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
}

/** Shown as the notification after an import: the counts and a way back to the list. */
function ImportDoneNotice({ result }: { result: OrderImportResult }) {
  const translate = useTranslate();
  const close = useCloseNotification();
  return (
    <Alert
      severity={result.rejected > 0 ? 'warning' : 'success'}
      variant="filled"
      data-testid="csv-import-done-notification"
      action={
        <Button component={LinkBase} to={ORDERS_LIST_PATH} label="resources.orders.import.back_to_list" color="inherit" onClick={close} />
      }
    >
      {translate('resources.orders.import.done', { created: result.created, updated: result.updated, rejected: result.rejected })}
    </Alert>
  );
}

function PreviewSummary({ preview }: { preview: OrderImportPreview }) {
  const translate = useTranslate();
  return (
    <Typography variant="body1" data-testid="csv-preview-summary">
      {translate('resources.orders.import.summary', {
        rows: preview.rows,
        orders: preview.orders,
        valid: preview.validOrders,
        rejected: preview.rejectedOrders,
      })}
    </Typography>
  );
}

function OrderImport() {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [file, setFile] = useState<File>();
  const [step, setStep] = useState<Step>({ name: 'choose' });
  const [error, setError] = useState<string>();
  const [reason, setReason] = useState('');
  // Remounts the <input type=file> so picking the same file again still fires change.
  const [inputKey, setInputKey] = useState(0);
  const previewAbort = useRef<AbortController | undefined>(undefined);

  useEffect(() => () => previewAbort.current?.abort(), []);

  const reset = () => {
    previewAbort.current?.abort();
    setFile(undefined);
    setStep({ name: 'choose' });
    setError(undefined);
    setReason('');
    setInputKey((key) => key + 1);
  };

  const onFileChange = (event: ChangeEvent<HTMLInputElement>) => {
    previewAbort.current?.abort();
    setFile(event.target.files?.[0]);
    setStep({ name: 'choose' });
    setError(undefined);
  };

  const preview = async () => {
    if (!file) return;
    const controller = new AbortController();
    previewAbort.current?.abort();
    previewAbort.current = controller;
    setError(undefined);
    setStep({ name: 'previewing' });
    try {
      const { data } = await dataProvider.importOrders({ mode: 'preview', file, signal: controller.signal });
      if (controller.signal.aborted) return;
      // An empty answer means the session ended (useDataProvider logged the user out).
      if (data?.mode !== 'preview') return setStep({ name: 'choose' });
      setStep({ name: 'previewed', preview: { ...data, errors: data.errors ?? [], currencies: data.currencies ?? [] } });
    } catch (caught) {
      if (controller.signal.aborted) return;
      setError(errorMessage(caught, translate));
      setStep({ name: 'choose' });
    }
  };

  const importValid = async (previewed: OrderImportPreview) => {
    if (!file) return;
    setError(undefined);
    setStep({ name: 'importing', preview: previewed });
    try {
      const { data } = await dataProvider.importOrders({ mode: 'valid-only', file, reason });
      if (data?.mode !== 'valid-only') return setStep({ name: 'choose' });
      setStep({ name: 'imported', result: { ...data, errors: data.errors ?? [] } });
      notify(<ImportDoneNotice result={data} />, { autoHideDuration: 15000 });
    } catch (caught) {
      // Nothing is known to be imported; the preview stays so the user can retry or cancel.
      setError(errorMessage(caught, translate));
      setStep({ name: 'previewed', preview: previewed });
    }
  };

  const cancel = () => {
    reset();
    notify('resources.orders.import.cancelled', { type: 'info' });
  };

  const busy = step.name === 'previewing' || step.name === 'importing';
  const shown = step.name === 'previewed' || step.name === 'importing' ? step.preview : undefined;

  return (
    <Card sx={{ mt: 2 }} data-testid="csv-import-page">
      <Title title="resources.orders.import.title" />
      {busy ? <LinearProgress /> : <div style={{ height: 4 }} />}
      <CardContent>
        <Stack spacing={3}>
          <Stack spacing={1}>
            <Typography variant="body2">{translate('resources.orders.import.intro')}</Typography>
            <Typography variant="body2" color="text.secondary">
              {translate('resources.orders.import.money_hint')}
            </Typography>
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
              <Link
                href={orderCsvTemplateHref()}
                download={TEMPLATE_FILE_NAME}
                data-testid="csv-template-link"
                sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}
              >
                <DownloadIcon fontSize="small" />
                {translate('resources.orders.import.download_template')}
              </Link>
              <Button component={LinkBase} to={ORDERS_LIST_PATH} label="resources.orders.import.back_to_list">
                <ListIcon />
              </Button>
            </Stack>
          </Stack>

          {step.name !== 'imported' && (
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' } }}>
              <MuiButton component="label" variant="outlined" startIcon={<FileIcon />} disabled={busy}>
                {translate(file ? 'resources.orders.import.change_file' : 'resources.orders.import.choose_file')}
                <input key={inputKey} type="file" accept=".csv,text/csv" hidden onChange={onFileChange} data-testid="csv-file-input" />
              </MuiButton>
              <Typography variant="body2" data-testid="csv-file-name" sx={{ flexGrow: 1 }}>
                {file
                  ? translate('resources.orders.import.selected_file', { name: file.name, size: formatSize(file.size) })
                  : translate('resources.orders.import.no_file')}
              </Typography>
              <MuiButton
                variant="contained"
                startIcon={<PreviewIcon />}
                onClick={preview}
                disabled={!file || file.size === 0 || busy || step.name === 'previewed'}
                data-testid="csv-preview-button"
              >
                {translate('resources.orders.import.preview')}
              </MuiButton>
            </Stack>
          )}

          {error && (
            <Alert severity="error" data-testid="csv-import-error">
              {error}
            </Alert>
          )}

          {shown && (
            <Stack spacing={2} data-testid="csv-preview">
              <PreviewSummary preview={shown} />
              {shown.currencies.length > 0 && (
                <Stack spacing={1}>
                  <Typography variant="subtitle1" component="h2">
                    {translate('resources.orders.import.would_import')}
                  </Typography>
                  <CurrencyTotalsTable totals={shown.currencies} />
                </Stack>
              )}
              <Stack spacing={1}>
                <Typography variant="subtitle1" component="h2">
                  {translate('resources.orders.import.errors_title', { count: shown.errors.length })}
                </Typography>
                <ImportErrorsTable errors={shown.errors} truncated={shown.errorsTruncated} data-testid="csv-preview-errors" />
              </Stack>
              {shown.validOrders === 0 && (
                <Alert severity="warning" data-testid="csv-nothing-valid">
                  {translate('resources.orders.import.nothing_valid')}
                </Alert>
              )}
              {shown.validOrders > 0 && (
                <TextField
                  label={translate('resources.orders.import.reason')}
                  helperText={translate('resources.orders.import.reason_hint')}
                  value={reason}
                  onChange={(event) => setReason(event.target.value)}
                  disabled={busy}
                  size="small"
                  multiline
                  slotProps={{ htmlInput: { maxLength: 1000, 'data-testid': 'csv-import-reason' } }}
                  sx={{ maxWidth: 480 }}
                />
              )}
              <Stack direction="row" spacing={2}>
                <MuiButton
                  variant="contained"
                  color="primary"
                  onClick={() => importValid(shown)}
                  disabled={busy || shown.validOrders === 0}
                  data-testid="csv-import-valid-button"
                >
                  {translate('resources.orders.import.import_valid', { smart_count: shown.validOrders })}
                </MuiButton>
                <MuiButton variant="outlined" onClick={cancel} disabled={busy} data-testid="csv-cancel-button">
                  {translate('resources.orders.import.cancel')}
                </MuiButton>
              </Stack>
            </Stack>
          )}

          {step.name === 'imported' && (
            <Stack spacing={2} data-testid="csv-import-result">
              <Alert severity={step.result.rejected > 0 ? 'warning' : 'success'}>
                {translate('resources.orders.import.done', {
                  created: step.result.created,
                  updated: step.result.updated,
                  rejected: step.result.rejected,
                })}
              </Alert>
              {step.result.errors.length > 0 && (
                <ImportErrorsTable errors={step.result.errors} truncated={step.result.errorsTruncated} data-testid="csv-import-errors" />
              )}
              <Stack direction="row" spacing={2}>
                <Button component={LinkBase} to={ORDERS_LIST_PATH} label="resources.orders.import.back_to_list" variant="contained">
                  <ListIcon />
                </Button>
                <MuiButton variant="outlined" onClick={reset}>
                  {translate('resources.orders.import.another_file')}
                </MuiButton>
              </Stack>
            </Stack>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}

export default function OrderImportPage() {
  // The route is outside <Resource>, so the `orders.import` check is explicit.
  return (
    <CanAccess resource="orders" action="import" accessDenied={<AccessDenied />}>
      <OrderImport />
    </CanAccess>
  );
}
