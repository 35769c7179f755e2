import { useState } from 'react';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { LinkBase, useGetList, useRecordContext, useTranslate } from 'react-admin';
import { DeviceStateField } from '../devices/DeviceStateField';
import type { Incident } from './incidentTypes';

const DEVICES_PER_PAGE = 100;

const devicesListLink = (filter: Record<string, string>) => ({
  pathname: '/devices',
  search: `?filter=${encodeURIComponent(JSON.stringify(filter))}`,
});

/** Models and firmware involved, from the incident's own figures (`devicesByModel`). */
function ByModel({ incident }: { incident: Incident }) {
  const translate = useTranslate();
  const rows = incident.devicesByModel;
  if (!rows) return <Skeleton height={80} />;
  if (!rows.length) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('resources.incidents.devices.none')}
      </Typography>
    );
  }
  return (
    <Table size="small" data-testid="incident-devices-by-model">
      <TableHead>
        <TableRow>
          <TableCell>{translate('resources.incidents.devices.model')}</TableCell>
          <TableCell>{translate('resources.incidents.devices.firmware')}</TableCell>
          <TableCell align="right">{translate('resources.incidents.devices.devices')}</TableCell>
          <TableCell align="right">{translate('resources.incidents.devices.orders')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={`${row.model}|${row.firmware}`} data-model={row.model ?? ''} data-firmware={row.firmware ?? ''}>
            <TableCell>
              {row.model ? (
                <Link component={LinkBase} to={devicesListLink({ model: row.model, ...(row.firmware ? { firmware: row.firmware } : {}) })}>
                  {row.model}
                </Link>
              ) : (
                '—'
              )}
            </TableCell>
            <TableCell sx={{ fontFamily: 'monospace' }}>{row.firmware ?? '—'}</TableCell>
            <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
              {row.devices}
            </TableCell>
            <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
              {row.orders}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Each device behind the incident's (not excluded) orders, with its current state, linking to the device. */
function DeviceList({ incident }: { incident: Incident }) {
  const translate = useTranslate();
  const [page, setPage] = useState(0);
  const {
    data: devices,
    total,
    isPending,
  } = useGetList('devices', {
    filter: { incidentId: incident.id },
    pagination: { page: page + 1, perPage: DEVICES_PER_PAGE },
    sort: { field: 'id', order: 'ASC' },
  });

  if (isPending) return <Skeleton height={120} />;
  if (!devices?.length) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('resources.incidents.devices.none')}
      </Typography>
    );
  }
  return (
    <>
      <Table size="small" data-testid="incident-devices-table">
        <TableHead>
          <TableRow>
            <TableCell>{translate('resources.incidents.devices.device')}</TableCell>
            <TableCell>{translate('resources.incidents.devices.model')}</TableCell>
            <TableCell>{translate('resources.incidents.devices.firmware')}</TableCell>
            <TableCell>{translate('resources.incidents.devices.state')}</TableCell>
            <TableCell align="right">{translate('resources.incidents.devices.orders_total')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {devices.map((device) => (
            <TableRow key={device.id} hover data-testid="incident-device-row" data-device-id={device.id}>
              <TableCell>
                <Link component={LinkBase} to={`/devices/${encodeURIComponent(device.id)}/show`} sx={{ fontFamily: 'monospace' }}>
                  {device.id}
                </Link>
              </TableCell>
              <TableCell>{device.model ?? '—'}</TableCell>
              <TableCell sx={{ fontFamily: 'monospace' }}>{device.firmwareVersion ?? '—'}</TableCell>
              <TableCell>
                <DeviceStateField record={device} />
              </TableCell>
              <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                {device.orderCount}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {(total ?? 0) > DEVICES_PER_PAGE && (
        <TablePagination
          component="div"
          count={total ?? 0}
          page={page}
          onPageChange={(_event, next) => setPage(next)}
          rowsPerPage={DEVICES_PER_PAGE}
          rowsPerPageOptions={[DEVICES_PER_PAGE]}
        />
      )}
    </>
  );
}

export function DevicesTab() {
  const incident = useRecordContext<Incident>();
  const translate = useTranslate();
  if (!incident) return null;
  return (
    <Box data-testid="incident-devices" sx={{ display: 'grid', gap: 2 }}>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mb: 1 }}>
          {translate('resources.incidents.devices.by_model', { smart_count: incident.devices ?? 0 })}
        </Typography>
        <ByModel incident={incident} />
      </Paper>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mb: 1 }}>
          {translate('resources.incidents.devices.list')}
        </Typography>
        <DeviceList incident={incident} />
      </Paper>
    </Box>
  );
}
