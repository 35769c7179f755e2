import { useState, type ReactNode } from 'react';
import Typography from '@mui/material/Typography';
import SelectAllIcon from '@mui/icons-material/SelectAll';
import { BulkActionsToolbar, Button, useListContext, useNotify, useTranslate } from 'react-admin';
import { useFormatCount } from '../runs/useRunApi';

/** Where a selection stands against the list's filter: the words the toolbar and the confirmations use. */
export type SelectionScope = 'page' | 'pages' | 'all';

/**
 * Whether the selected rows are some of this page, some across pages, or every
 * row matching the list's filter (its server-side total).
 */
export function useSelectionScope(): { scope: SelectionScope; selected: number; total: number } {
  const { selectedIds = [], data = [], total } = useListContext();
  const matching = total ?? selectedIds.length;
  const onPage = new Set(data.map((row) => row.id));
  const scope: SelectionScope =
    selectedIds.length > 0 && selectedIds.length === matching ? 'all' : selectedIds.every((id) => onPage.has(id)) ? 'page' : 'pages';
  return { scope, selected: selectedIds.length, total: matching };
}

/** "Select all 1,234 matching", explicitly, when the server can hand over that many ids; else says why not. */
function SelectAllMatching({ limit, tooManyHint }: { limit: number; tooManyHint?: string }) {
  const translate = useTranslate();
  const count = useFormatCount();
  const notify = useNotify();
  const { getData, onSelect, isFetching } = useListContext();
  const { scope, total } = useSelectionScope();
  const [pending, setPending] = useState(false);
  if (scope === 'all') return null;
  if (total > limit) {
    return (
      <Typography variant="body2" color="text.secondary" sx={{ ml: 1 }} data-testid="bulk-select-all-too-many">
        {translate(tooManyHint ?? 'app.selection.too_many', { limit: count(limit), total: count(total), smart_count: total })}
      </Typography>
    );
  }
  // The list's own query (filter and sort) for every matching id. Not react-admin's
  // onSelectAll: with storeKey={false} it selects into a state the list does not read.
  const selectAll = async () => {
    setPending(true);
    try {
      const rows = (await getData?.({ maxResults: limit })) ?? [];
      onSelect(rows.map((row) => row.id));
    } catch {
      notify('ra.notification.http_error', { type: 'error' });
    } finally {
      setPending(false);
    }
  };
  return (
    <Button
      label={translate('app.selection.select_all', { smart_count: total, count: count(total) })}
      onClick={selectAll}
      disabled={isFetching || pending}
      data-testid="bulk-select-all-matching"
    >
      <SelectAllIcon />
    </Button>
  );
}

/**
 * react-admin's bulk toolbar, saying exactly what a bulk action will act on:
 * "3 selected on this page · 1,234 match", "All 1,234 matching selected", and
 * offering "Select all 1,234 matching" as an explicit choice (up to `limit`,
 * the most ids the API takes back in one page).
 */
export function SelectionScopeToolbar({ children, limit, tooManyHint }: { children: ReactNode; limit: number; tooManyHint?: string }) {
  const translate = useTranslate();
  const count = useFormatCount();
  const { scope, selected, total } = useSelectionScope();
  return (
    <BulkActionsToolbar
      // Already translated: the toolbar passes it through translate() unchanged.
      label={translate(`app.selection.scope.${scope}`, { smart_count: selected, count: count(selected), total: count(total) })}
      selectAllButton={<SelectAllMatching limit={limit} tooManyHint={tooManyHint} />}
    >
      {children}
    </BulkActionsToolbar>
  );
}
