import Box from '@mui/material/Box';
import type { EvidenceHit } from '../types';
import { Comparison } from './Comparison';
import { Fact, FactList } from './Fact';
import { mono, num, str, useCountFormat, useEvidenceTranslate } from './format';
import type { RuleEvidence } from './ruleEvidence';

/** fleet-burst: many devices of one model and firmware suddenly ordering the same SKU. */
function FleetBurstDetails({ hit }: { hit: EvidenceHit }) {
  const t = useEvidenceTranslate();
  const count = useCountFormat();
  return (
    <>
      <FactList>
        <Fact label={t('model')}>{str(hit.model)}</Fact>
        <Fact label={t('firmware')}>{str(hit.firmwareVersion)}</Fact>
        <Fact label={t('sku')}>
          <Box component="span" sx={mono}>
            {str(hit.sku)}
          </Box>
        </Fact>
        <Fact label={t('window')}>{t('hours', { smart_count: num(hit.windowHours) })}</Fact>
      </FactList>
      <Comparison
        measured={num(hit.devices)}
        baseline={num(hit.usualOrdersPerWindow)}
        measuredLabel={t('fleet_measured', { sku: str(hit.sku) })}
        baselineLabel={t('fleet_baseline')}
        format={count}
      />
    </>
  );
}

export const fleetBurst: RuleEvidence = {
  Details: FleetBurstDetails,
  isOrderOf: (hit, order) => order.deviceModel === hit.model && order.firmwareVersion === hit.firmwareVersion,
};
