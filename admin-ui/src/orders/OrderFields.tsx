import Typography from '@mui/material/Typography';
import { useRecordContext, type FieldProps } from 'react-admin';

/** Customer name with the email below it (from the order's own snapshot, no extra request). */
export function OrderCustomerField(_props: Partial<FieldProps>) {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <>
      <Typography component="div" variant="body2">
        {record.customerName || record.customerEmail || '—'}
      </Typography>
      {record.customerName && record.customerEmail && (
        <Typography component="div" variant="caption" color="text.secondary">
          {record.customerEmail}
        </Typography>
      )}
    </>
  );
}

/** Device id with its model (and firmware) below it. */
export function OrderDeviceField(_props: Partial<FieldProps>) {
  const record = useRecordContext();
  if (!record?.deviceId) return <span>—</span>;
  const details = [record.deviceModel, record.firmwareVersion].filter(Boolean).join(' · ');
  return (
    <>
      <Typography component="div" variant="body2" sx={{ fontFamily: 'monospace' }}>
        {record.deviceId}
      </Typography>
      {details && (
        <Typography component="div" variant="caption" color="text.secondary">
          {details}
        </Typography>
      )}
    </>
  );
}
