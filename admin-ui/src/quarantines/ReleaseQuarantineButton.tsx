import Box from '@mui/material/Box';
import ReleaseIcon from '@mui/icons-material/LockOpen';
import { useRecordContext, useTranslate } from 'react-admin';
import { useFormatCount } from '../runs/useRunApi';
import { ReasonActionButton } from '../common/ReasonActionButton';
import type { Quarantine } from './types';

/** "Release" for a quarantine that still applies (`quarantines.release`), with the required reason. */
export function ReleaseQuarantineButton({ size = 'small' }: { size?: 'small' | 'medium' }) {
  const record = useRecordContext<Quarantine>();
  const translate = useTranslate();
  const count = useFormatCount();
  if (!record || record.status !== 'active') return null;
  // What exactly stops applying: one device, a model on one firmware, or a whole model.
  const args = { device: record.deviceId, model: record.model, firmware: record.firmwareVersion };
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
        titleKey={`resources.quarantines.release.title_${record.scope}`}
        messageArgs={args}
        scope={
          record.devicesNamed === undefined
            ? undefined
            : translate('resources.quarantines.release.scope', { smart_count: record.devicesNamed, count: count(record.devicesNamed) })
        }
        icon={<ReleaseIcon />}
        size={size}
        testId="quarantine-release-button"
      />
    </Box>
  );
}
