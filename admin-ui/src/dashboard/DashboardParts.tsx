import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { LinkBase, useLocaleState, useTranslate } from 'react-admin';
import { formatMoney } from '../common/money';

export const d = (key: string) => `resources.dashboard.${key}`;

/** One role's part of the landing page: a heading and its cards. */
export function SectionPanel({ section, children }: { section: string; children: ReactNode }) {
  const translate = useTranslate();
  return (
    <Box component="section" data-testid={`dashboard-${section}`} aria-labelledby={`dashboard-${section}-title`}>
      <Typography id={`dashboard-${section}-title`} variant="h6" component="h2" sx={{ mb: 1 }}>
        {translate(d(`sections.${section}`))}
      </Typography>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, alignItems: 'start' }}>{children}</Box>
    </Box>
  );
}

/** A card with a title, what it shows, and the links that lead on from it. */
export function DashCard({
  title,
  testId,
  children,
  links,
  wide = false,
}: {
  title: string;
  testId: string;
  children: ReactNode;
  links?: ReactNode;
  wide?: boolean;
}) {
  return (
    <Card data-testid={testId} sx={{ gridColumn: wide ? '1 / -1' : undefined }}>
      <CardContent>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, mb: 1 }}>
          {title}
        </Typography>
        {children}
        {links && (
          <Stack direction="row" spacing={2} useFlexGap sx={{ mt: 2, flexWrap: 'wrap' }}>
            {links}
          </Stack>
        )}
      </CardContent>
    </Card>
  );
}

/** A link inside the app (a real anchor: reachable with Tab, opens with Enter). */
export function AppLink({ to, children, testId, mono = false }: { to: string; children: ReactNode; testId?: string; mono?: boolean }) {
  return (
    <Link
      component={LinkBase}
      to={to}
      data-testid={testId}
      sx={mono ? { fontFamily: 'monospace', fontWeight: 600, whiteSpace: 'nowrap' } : { fontWeight: 500 }}
    >
      {children}
    </Link>
  );
}

/** Integer minor units in their currency, through the one formatter; the raw figure rides along for tests. */
export function Money({ minor, currency, strong = false }: { minor: number; currency: string; strong?: boolean }) {
  const [locale] = useLocaleState();
  return (
    <Box
      component="span"
      data-minor={minor}
      data-currency={currency}
      sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', fontWeight: strong ? 700 : undefined }}
    >
      {formatMoney(minor, currency, locale)}
    </Box>
  );
}

/** A headline count: the number large, what it counts beside it. */
export function Headline({ value, text, testId }: { value: number; text: string; testId: string }) {
  const [locale] = useLocaleState();
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', mb: 1 }}>
      <Typography variant="h4" component="p" data-testid={testId} data-value={value} sx={{ fontVariantNumeric: 'tabular-nums' }}>
        {value.toLocaleString(locale)}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {text}
      </Typography>
    </Stack>
  );
}

/** Loading bar or the error of a card's read; children once the data is there. */
export function Loaded<T>({
  query,
  children,
}: {
  query: { data?: T; error: unknown; isPending: boolean };
  children: (data: T) => ReactNode;
}) {
  const translate = useTranslate();
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.error) {
    return (
      <Alert severity="error" variant="outlined">
        {translate(d('error'), { message: (query.error as Error).message ?? String(query.error) })}
      </Alert>
    );
  }
  return <LinearProgress aria-label={translate(d('loading'))} />;
}
