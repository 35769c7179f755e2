import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import { useRecordContext, useTranslate, type FieldProps } from 'react-admin';

/** Roles as chips; unknown roles (added server-side later) still show their raw id. */
export function RolesField({ source = 'roles' }: Partial<FieldProps>) {
  const record = useRecordContext();
  const translate = useTranslate();
  const roles: unknown = record?.[source];
  if (!Array.isArray(roles)) return null;
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {roles.map((role: string) => (
        <Chip key={role} size="small" label={translate(`app.roles.${role}`, { _: role })} />
      ))}
    </Stack>
  );
}
