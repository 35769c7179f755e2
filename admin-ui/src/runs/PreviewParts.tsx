/** The pieces every preview table is built of: tiles, titled sections, one head row, one empty note. */
import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTranslate } from 'react-admin';
import { t } from './useRunApi';

export const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

export function Tile({
  label,
  children,
  caption,
  testId,
  value,
}: {
  label: string;
  children: ReactNode;
  caption?: ReactNode;
  testId: string;
  value?: number;
}) {
  return (
    <Paper variant="outlined" sx={{ px: 1.75, py: 1.25, minWidth: 0 }} data-testid={testId} data-value={value}>
      <Typography variant="caption" color="text.secondary" component="div" sx={{ fontWeight: 500, lineHeight: 1.4, mb: 0.25 }}>
        {label}
      </Typography>
      <Box sx={{ fontSize: '1.25rem', fontWeight: 600, lineHeight: 1.3, ...num }}>{children}</Box>
      {caption && (
        <Typography variant="caption" color="text.secondary" component="div">
          {caption}
        </Typography>
      )}
    </Paper>
  );
}

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Box component="section" data-testid={testId}>
      <Typography variant="subtitle2" component="h3" sx={{ fontWeight: 600, mb: 0.5 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

const headCell = { color: 'text.secondary', fontWeight: 500, fontSize: '0.75rem' } as const;

/** The head row of the preview's tables: column keys under `preview.columns`, numbers right-aligned. */
export function HeadRow({ columns }: { columns: { key: string; numeric?: boolean }[] }) {
  const translate = useTranslate();
  return (
    <TableHead>
      <TableRow>
        {columns.map(({ key, numeric }) => (
          <TableCell key={key} sx={headCell} align={numeric ? 'right' : undefined}>
            {translate(t(`preview.columns.${key}`))}
          </TableCell>
        ))}
      </TableRow>
    </TableHead>
  );
}

/** What a table says when it has no rows. */
export function EmptyNote({ text, testId }: { text: string; testId?: string }) {
  const translate = useTranslate();
  return (
    <Typography variant="body2" color="text.secondary" data-testid={testId}>
      {translate(t(text))}
    </Typography>
  );
}

/**
 * The carrier's intercept fees the run is expected to pay, per currency, labelled
 * estimated: the provider names the fee only when it intercepts (INTERCEPT_FEE_ESTIMATES).
 */
