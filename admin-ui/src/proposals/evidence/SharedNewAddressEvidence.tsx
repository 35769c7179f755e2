import { AddressField } from '../../orders/AddressField';
import type { EvidenceHit } from '../types';
import { Comparison } from './Comparison';
import { Fact, FactList } from './Fact';
import { num, str, useCountFormat, useEvidenceTranslate } from './format';
import type { RuleEvidence } from './ruleEvidence';

/** shared-new-address: a ship-to address never used before that several customers suddenly ship to. */
function SharedNewAddressDetails({ hit }: { hit: EvidenceHit }) {
  const t = useEvidenceTranslate();
  const count = useCountFormat();
  const customers = num(hit.customers);
  const strength = num(hit.strength);
  return (
    <>
      <FactList>
        <Fact label={t('address')}>
          <AddressField source="address" record={{ id: hit.key, address: hit.address }} />
        </Fact>
        <Fact label={t('customers')}>{customers}</Fact>
        <Fact label={t('devices')}>{str(hit.devices)}</Fact>
        <Fact label={t('address_history')}>{t('address_new', { smart_count: num(hit.windowHours) })}</Fact>
      </FactList>
      {strength > 0 ? (
        <Comparison
          measured={customers}
          baseline={Math.round(customers / strength)}
          measuredLabel={t('address_measured')}
          baselineLabel={t('address_baseline')}
          format={count}
        />
      ) : undefined}
    </>
  );
}

export const sharedNewAddress: RuleEvidence = {
  Details: SharedNewAddressDetails,
  isOrderOf: (hit, order) => order.shipToHash === hit.shipToHash,
  overThreshold: true,
};
