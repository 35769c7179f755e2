import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTranslate } from 'react-admin';

/** A titled block under a show page's fields, e.g. a device's orders. */
export function RelatedSection({ title, children, 'data-testid': testId }: { title: string; children: ReactNode; 'data-testid'?: string }) {
  const translate = useTranslate();
  return (
    <Box component="section" sx={{ px: 2, pb: 2 }} data-testid={testId}>
      <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
        {translate(title)}
      </Typography>
      {children}
    </Box>
  );
}
