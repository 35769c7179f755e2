import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useTranslate } from 'react-admin';
import { useFormContext, useWatch } from 'react-hook-form';
import { devicesFilterOf, type QuarantineScope } from './types';

const SAMPLE = 5;

interface Target {
  scope?: QuarantineScope;
  deviceId?: string;
  model?: string;
  firmwareVersion?: string;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/**
 * What the quarantine would cover, before it is created: the devices it names
 * now (same exact model / firmware match as the server), how many are already
 * quarantined, and the quarantines already in force for a single device.
 * Read from the devices and quarantines lists; nothing is written.
 */
export function QuarantinePreview() {
  const translate = useTranslate();
  const dataProvider = useDataProvider();
  const { setValue } = useFormContext();
  const [scope, deviceId, model, firmwareVersion] = useWatch({ name: ['scope', 'deviceId', 'model', 'firmwareVersion'] });
  const target = useDebounced<Target>(
    { scope, deviceId: trimmed(deviceId), model: trimmed(model), firmwareVersion: trimmed(firmwareVersion) },
    350,
  );
  const filter = devicesFilterOf(target);
  const key = JSON.stringify(filter ?? null);

  const { data, isFetching, error } = useQuery({
    queryKey: ['quarantines', 'preview', target.scope, key],
    enabled: Boolean(filter),
    staleTime: 15_000,
    queryFn: async ({ signal }) => {
      const devices = await dataProvider.getList('devices', {
        filter: filter!,
        pagination: { page: 1, perPage: SAMPLE },
        sort: { field: 'id', order: 'ASC' },
        signal,
      });
      const quarantined = await dataProvider.getList('devices', {
        filter: { ...filter!, state: 'quarantined' },
        pagination: { page: 1, perPage: 1 },
        sort: { field: 'id', order: 'ASC' },
        signal,
      });
      const existing =
        target.scope === 'device' && devices.total
          ? await dataProvider.getList('quarantines', {
              filter: { deviceId: target.deviceId, active: 'true' },
              pagination: { page: 1, perPage: 5 },
              sort: { field: 'createdAt', order: 'DESC' },
              signal,
            })
          : undefined;
      return { devices: devices.data, total: devices.total ?? 0, quarantined: quarantined.total ?? 0, existing: existing?.total ?? 0 };
    },
  });

  const t = (name: string, args?: Record<string, unknown>) => translate(`resources.quarantines.preview.${name}`, args);
  const sampleDevice = data?.devices[0];

  return (
    <Box sx={{ width: '100%', maxWidth: 720, mb: 2 }} data-testid="quarantine-preview">
      {!filter ? (
        <Alert severity="info" variant="outlined">
          {t('incomplete')}
        </Alert>
      ) : error ? (
        <Alert severity="warning">{(error as Error).message}</Alert>
      ) : !data ? (
        <LinearProgress />
      ) : (
        <Alert
          severity={data.total === 0 ? 'warning' : 'error'}
          variant="outlined"
          data-testid="quarantine-preview-summary"
          data-devices={data.total}
          sx={{ opacity: isFetching ? 0.6 : 1 }}
        >
          <AlertTitle>
            {data.total === 0
              ? t(target.scope === 'device' ? 'unknown_device' : 'no_devices')
              : t(`covers_${target.scope}`, {
                  smart_count: data.total,
                  model: target.model,
                  firmware: target.firmwareVersion,
                  device: target.deviceId,
                })}
          </AlertTitle>
          <Stack spacing={0.5}>
            {target.scope === 'device' && sampleDevice && (
              <span>{t('device_detail', { model: sampleDevice.model, firmware: sampleDevice.firmwareVersion })}</span>
            )}
            {target.scope !== 'device' && data.total > 0 && (
              <span>
                {t('examples')}{' '}
                <Box component="span" sx={{ fontFamily: 'monospace' }}>
                  {data.devices.map((device) => device.id).join(', ')}
                  {data.total > data.devices.length ? ', …' : ''}
                </Box>
              </span>
            )}
            {data.quarantined > 0 && <span>{t('already_quarantined', { smart_count: data.quarantined })}</span>}
            {data.existing > 0 && <span>{t('existing_quarantines', { smart_count: data.existing })}</span>}
            {data.total === 0 && target.scope !== 'device' && <span>{t('ahead_of_time')}</span>}
            {data.total > 0 && <span>{t('effect')}</span>}
            {target.scope === 'device' && sampleDevice && (
              <Stack direction="row" spacing={2} sx={{ pt: 0.5 }}>
                <Link
                  component="button"
                  type="button"
                  variant="body2"
                  data-testid="quarantine-widen-firmware"
                  onClick={() => {
                    setValue('scope', 'firmware', { shouldDirty: true });
                    setValue('model', sampleDevice.model, { shouldDirty: true });
                    setValue('firmwareVersion', sampleDevice.firmwareVersion, { shouldDirty: true });
                  }}
                >
                  {t('widen_firmware', { model: sampleDevice.model, firmware: sampleDevice.firmwareVersion })}
                </Link>
                <Link
                  component="button"
                  type="button"
                  variant="body2"
                  onClick={() => {
                    setValue('scope', 'model', { shouldDirty: true });
                    setValue('model', sampleDevice.model, { shouldDirty: true });
                  }}
                >
                  {t('widen_model', { model: sampleDevice.model })}
                </Link>
              </Stack>
            )}
          </Stack>
        </Alert>
      )}
    </Box>
  );
}
