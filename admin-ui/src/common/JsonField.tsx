import Box from '@mui/material/Box';
import { useFieldValue, useTranslate, type FieldProps } from 'react-admin';

/** Pretty-printed JSON, e.g. an audit entry's before/after summary. */
// emptyText is a translation key, shown when the value is null/undefined.
export function JsonField({ source, emptyText }: FieldProps) {
  const value = useFieldValue({ source });
  const translate = useTranslate();
  if (value === undefined || value === null) {
    return <span>{emptyText ? translate(emptyText) : ''}</span>;
  }
  return (
    <Box
      component="pre"
      sx={{
        m: 0,
        p: 1.5,
        bgcolor: 'action.hover',
        borderRadius: 1,
        fontFamily: 'monospace',
        fontSize: '0.8125rem',
        overflowX: 'auto',
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-word',
      }}
    >
      {JSON.stringify(value, null, 2)}
    </Box>
  );
}
