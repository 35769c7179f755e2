import Chip from '@mui/material/Chip';
import { useLocaleState, useTranslate } from 'react-admin';
import type { EvidenceHit } from '../types';
import { num } from './format';
import { ruleEvidence } from './ruleEvidence';

function useFactor() {
  const [locale] = useLocaleState();
  return (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: value >= 10 ? 0 : 1 }).format(value);
}

/** By how much a hit exceeded its baseline (or threshold): red from 5×. */
export function StrengthChip({ hit }: { hit: EvidenceHit }) {
  const translate = useTranslate();
  const factor = useFactor();
  const strength = num(hit.strength);
  if (!Number.isFinite(strength)) return null;
  return (
    <Chip
      size="small"
      color={strength >= 5 ? 'error' : 'warning'}
      label={translate(
        ruleEvidence(hit.rule)?.overThreshold
          ? 'resources.proposals.evidence.over_threshold'
          : 'resources.proposals.evidence.over_baseline',
        { factor: factor(strength) },
      )}
      data-testid="evidence-strength"
      data-strength={strength}
    />
  );
}
