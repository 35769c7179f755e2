import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import { useTranslate } from 'react-admin';
import type { OrderImportError } from './types';

interface ImportErrorsTableProps {
  errors: OrderImportError[];
  truncated?: boolean;
  'data-testid'?: string;
}

/** Rejected rows of a CSV import, paginated in the browser (the server sends at most 1000). */
export function ImportErrorsTable({ errors, truncated = false, 'data-testid': testId }: ImportErrorsTableProps) {
  const translate = useTranslate();
  const [page, setPage] = useState(0);
  const [rowsPerPage, setRowsPerPage] = useState(10);

  if (errors.length === 0) {
    return (
      <Box data-testid={testId}>
        <Alert severity="success">{translate('resources.orders.import.no_errors')}</Alert>
      </Box>
    );
  }

  // Clamp: a new (shorter) error list must not leave us on an empty page.
  const lastPage = Math.max(0, Math.ceil(errors.length / rowsPerPage) - 1);
  const currentPage = Math.min(page, lastPage);
  const visible = errors.slice(currentPage * rowsPerPage, (currentPage + 1) * rowsPerPage);

  return (
    <Box data-testid={testId}>
      {truncated && (
        <Alert severity="warning" sx={{ mb: 1 }}>
          {translate('resources.orders.import.errors_truncated', { count: errors.length })}
        </Alert>
      )}
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: 90 }} title={translate('resources.orders.import.row_hint')}>
              {translate('resources.orders.import.columns.row')}
            </TableCell>
            <TableCell sx={{ width: 200 }}>{translate('resources.orders.import.columns.field')}</TableCell>
            <TableCell>{translate('resources.orders.import.columns.message')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {visible.map((error, index) => (
            <TableRow key={`${error.row}-${error.field ?? ''}-${currentPage * rowsPerPage + index}`} data-row={error.row}>
              <TableCell sx={{ fontVariantNumeric: 'tabular-nums' }}>
                {error.row === 0 ? translate('resources.orders.import.header_row') : error.row}
              </TableCell>
              <TableCell sx={{ fontFamily: 'monospace' }}>{error.field || '—'}</TableCell>
              <TableCell>{error.message}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <TablePagination
        component="div"
        count={errors.length}
        page={currentPage}
        onPageChange={(_event, next) => setPage(next)}
        rowsPerPage={rowsPerPage}
        rowsPerPageOptions={[10, 25, 50, 100]}
        onRowsPerPageChange={(event) => {
          setRowsPerPage(Number(event.target.value));
          setPage(0);
        }}
        labelRowsPerPage={translate('ra.navigation.page_rows_per_page')}
      />
    </Box>
  );
}
