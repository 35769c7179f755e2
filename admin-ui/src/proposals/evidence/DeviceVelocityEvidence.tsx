import { Link } from 'react-admin';
import type { EvidenceHit } from '../types';
import { Comparison } from './Comparison';
import { Fact, FactList } from './Fact';
import { devicePath, mono, num, str, useCountFormat, useEvidenceTranslate } from './format';
import type { RuleEvidence } from './ruleEvidence';

/** device-velocity: a device ordering far more often than it usually does (its own history is the baseline). */
function DeviceVelocityDetails({ hit }: { hit: EvidenceHit }) {
  const t = useEvidenceTranslate();
  const count = useCountFormat();
  const hours = num(hit.windowHours);
  return (
    <>
      <FactList>
        <Fact label={t('device')} testId="evidence-device">
          <Link to={devicePath(str(hit.deviceId))} sx={mono}>
            {str(hit.deviceId)}
          </Link>
        </Fact>
        <Fact label={t('model')}>{str(hit.model)}</Fact>
        <Fact label={t('window')}>{t('hours', { smart_count: hours })}</Fact>
      </FactList>
      <Comparison
        measured={num(hit.recentOrders)}
        baseline={num(hit.usualOrdersPerWindow)}
        measuredLabel={t('velocity_measured', { smart_count: hours })}
        baselineLabel={t('velocity_baseline')}
        format={count}
      />
    </>
  );
}

export const deviceVelocity: RuleEvidence = {
  Details: DeviceVelocityDetails,
  isOrderOf: (hit, order) => order.deviceId === hit.deviceId,
};
