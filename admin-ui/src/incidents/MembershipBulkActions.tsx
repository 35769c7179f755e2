import { useState } from 'react';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import HelpIcon from '@mui/icons-material/Help';
import RemoveCircleIcon from '@mui/icons-material/RemoveCircle';
import { Button, useListContext, useNotify, useRefresh, useTranslate } from 'react-admin';
import { useSelectionScope } from '../common/SelectionScopeToolbar';
import { useFormatCount } from '../runs/useRunApi';
import { ActionDialog } from './ActionDialog';
import { MEMBERSHIP_ACTIONS, type Incident, type MembershipAction, type MembershipResult } from './incidentTypes';
import { useIncidentCall } from './useIncidentApi';

const icons: Record<MembershipAction, typeof CheckCircleIcon> = {
  suspect: HelpIcon,
  confirm: CheckCircleIcon,
  exclude: RemoveCircleIcon,
};

/**
 * Suspect, confirm or exclude the selected rows (`orderIds`), with the reason
 * the matrix requires; the confirmation names the exact number and whether
 * that is this page's selection or every order matching the view.
 */
export function MembershipBulkActions({ incident }: { incident: Incident }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const call = useIncidentCall();
  const count = useFormatCount();
  const { selectedIds, onUnselectItems } = useListContext();
  const { scope, selected, total } = useSelectionScope();
  const [action, setAction] = useState<MembershipAction>();
  const counts = { smart_count: selected, count: count(selected), total: count(total), rest: count(total - selected) };

  const apply = async (reason: string | undefined) => {
    const res = await call<MembershipResult>(incident.id, {
      method: 'POST',
      path: ['members'],
      body: { action, orderIds: selectedIds, reason },
    });
    notify('resources.incidents.notifications.members_changed', {
      type: 'success',
      messageArgs: {
        verb: translate(`resources.incidents.membership_verbs.${action}`),
        smart_count: res.matched,
        added: res.added,
        changed: res.changed,
        unchanged: res.unchanged,
      },
    });
    onUnselectItems();
    refresh();
  };

  return (
    <>
      <Stack direction="row" spacing={1} data-testid="incident-members-bulk">
        {MEMBERSHIP_ACTIONS.map((a) => {
          const Icon = icons[a];
          return (
            <Button
              key={a}
              label={`resources.incidents.actions.${a}`}
              onClick={() => setAction(a)}
              data-testid={`incident-members-bulk-${a}`}
            >
              <Icon />
            </Button>
          );
        })}
      </Stack>
      <ActionDialog
        open={Boolean(action)}
        onClose={() => setAction(undefined)}
        title={action ? translate(`resources.incidents.members.selection_title.${action}`, counts) : ''}
        confirmLabel={action ? translate(`resources.incidents.members.selection_confirm.${action}`, counts) : ''}
        confirmColor={action === 'confirm' ? 'error' : action === 'suspect' ? 'warning' : 'primary'}
        action="incidents.members"
        onConfirm={apply}
        data-testid="incident-members-bulk-dialog"
      >
        <Typography variant="body2" sx={{ fontWeight: 500 }} data-testid="incident-members-bulk-scope" data-scope={scope}>
          {translate(`resources.incidents.members.selection_scope.${scope}`, counts)}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {action ? translate(`resources.incidents.members.explain.${action}`) : ''}
        </Typography>
      </ActionDialog>
    </>
  );
}
