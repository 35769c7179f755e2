import DismissIcon from '@mui/icons-material/DoNotDisturbOn';
import { ReasonActionButton } from '../common/ReasonActionButton';
import type { Proposal } from './types';

/** "Dismiss" for an open proposal (`proposals.dismiss`), with the reason the audit log needs. */
export function DismissProposalButton({ proposal }: { proposal: Proposal }) {
  if (proposal.status !== 'open') return null;
  return (
    <ReasonActionButton
      resource="proposals"
      action="dismiss"
      id={proposal.id}
      endpoint="dismiss"
      messages="resources.proposals.dismiss"
      done="resources.proposals.notifications.dismissed"
      label="resources.proposals.actions.dismiss"
      icon={<DismissIcon />}
      testId="proposal-dismiss-button"
    />
  );
}
