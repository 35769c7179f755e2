import DismissIcon from '@mui/icons-material/DoNotDisturbOn';
import { useTranslate } from 'react-admin';
import { ReasonActionButton } from '../common/ReasonActionButton';
import { useFormatCount, useFormatMoneyList } from '../runs/useRunApi';
import type { Proposal } from './types';

/** "Dismiss" for an open proposal (`proposals.dismiss`), with the reason the audit log needs and what it covers. */
export function DismissProposalButton({ proposal }: { proposal: Proposal }) {
  const translate = useTranslate();
  const count = useFormatCount();
  const moneyList = useFormatMoneyList();
  if (proposal.status !== 'open') return null;
  const value = moneyList(proposal.valueByCurrency.map((v) => ({ currency: v.currency, amountMinor: v.totalMinor })));
  return (
    <ReasonActionButton
      resource="proposals"
      action="dismiss"
      id={proposal.id}
      endpoint="dismiss"
      messages="resources.proposals.dismiss"
      done="resources.proposals.notifications.dismissed"
      label="resources.proposals.actions.dismiss"
      messageArgs={{ title: proposal.title }}
      scope={translate('resources.proposals.dismiss.scope', {
        smart_count: proposal.orderCount,
        count: count(proposal.orderCount),
        value,
      })}
      icon={<DismissIcon />}
      testId="proposal-dismiss-button"
    />
  );
}
