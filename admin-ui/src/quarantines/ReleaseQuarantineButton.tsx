import Box from '@mui/material/Box';
import ReleaseIcon from '@mui/icons-material/LockOpen';
import { useRecordContext } from 'react-admin';
import { ReasonActionButton } from '../common/ReasonActionButton';
import type { Quarantine } from './types';

/** "Release" for a quarantine that still applies (`quarantines.release`), with the required reason. */
export function ReleaseQuarantineButton({ size = 'small' }: { size?: 'small' | 'medium' }) {
  const record = useRecordContext<Quarantine>();
  if (!record || record.status !== 'active') return null;
  return (
    // Clicks here (and in the dialog, which React bubbles through its portal) must not open the row.
    <Box component="span" onClick={(event) => event.stopPropagation()}>
      <ReasonActionButton
        resource="quarantines"
        action="release"
        id={record.id}
        endpoint="release"
        messages="resources.quarantines.release"
        done="resources.quarantines.notifications.released"
        label="resources.quarantines.actions.release"
        icon={<ReleaseIcon />}
        size={size}
        testId="quarantine-release-button"
      />
    </Box>
  );
}
