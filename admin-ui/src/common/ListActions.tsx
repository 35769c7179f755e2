import type { ReactNode } from 'react';
import { CanAccess, CreateButton, ExportButton, FilterButton, TopToolbar } from 'react-admin';

interface ListActionsProps {
  /** Show a create button (still hidden unless canAccess(<resource>.create)). */
  create?: boolean;
  createLabel?: string;
  /** Extra resource-specific buttons (each responsible for its own access check). */
  children?: ReactNode;
}

/**
 * Standard list toolbar. ExportButton does not ask canAccess by itself, so it
 * is wrapped: the `<resource>.export` permission comes from the server matrix
 * like every other action.
 */
export function ListActions({ create = false, createLabel, children }: ListActionsProps) {
  return (
    <TopToolbar>
      <FilterButton />
      {create && <CreateButton label={createLabel} />}
      {children}
      <CanAccess action="export">
        <ExportButton />
      </CanAccess>
    </TopToolbar>
  );
}
