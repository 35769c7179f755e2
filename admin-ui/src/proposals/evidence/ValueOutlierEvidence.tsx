import { useLocaleState } from 'react-admin';
import { formatMoney } from '../../common/money';
import type { EvidenceHit } from '../types';
import { Comparison } from './Comparison';
import { Fact, FactList } from './Fact';
import { num, str, useEvidenceTranslate } from './format';
import type { RuleEvidence } from './ruleEvidence';

/** value-outlier: an order far larger than what devices of its model usually order (their 95th percentile). */
function ValueOutlierDetails({ hit }: { hit: EvidenceHit }) {
  const t = useEvidenceTranslate();
  const [locale] = useLocaleState();
  const currency = str(hit.currency);
  const money = (minor: number) => formatMoney(minor, currency, locale);
  return (
    <>
      <FactList>
        <Fact label={t('model')}>{str(hit.model)}</Fact>
        <Fact label={t('currency')}>{currency}</Fact>
      </FactList>
      <Comparison
        measured={num(hit.totalMinor)}
        baseline={num(hit.usualHighMinor)}
        measuredLabel={t('value_measured')}
        baselineLabel={t('value_baseline', { model: str(hit.model) })}
        format={money}
      />
    </>
  );
}

export const valueOutlier: RuleEvidence = {
  Details: ValueOutlierDetails,
  isOrderOf: (hit, order) => order.id === hit.orderId,
};
