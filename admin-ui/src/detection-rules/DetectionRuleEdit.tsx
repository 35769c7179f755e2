import Alert from '@mui/material/Alert';
import Typography from '@mui/material/Typography';
import {
  BooleanInput,
  Edit,
  NumberInput,
  SaveButton,
  SimpleForm,
  TextInput,
  Toolbar,
  maxLength,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import type { DetectionRule } from './ThresholdsField';
import { THRESHOLD_RANGES, sortThresholds, thresholdValidators } from './thresholds';

const SaveOnlyToolbar = () => (
  <Toolbar>
    <SaveButton data-testid="detection-rule-save" />
  </Toolbar>
);

function RuleHeader() {
  const record = useRecordContext<DetectionRule>();
  if (!record) return null;
  return (
    <>
      <Typography variant="h6" component="h1">
        {record.title}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2, maxWidth: 720 }}>
        {record.description}
      </Typography>
    </>
  );
}

/** One NumberInput per threshold the rule has, with the server's range as hint and validation. */
function ThresholdInputs() {
  const record = useRecordContext<DetectionRule>();
  const translate = useTranslate();
  if (!record?.thresholds) return null;
  return (
    <>
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mt: 1 }}>
        {translate('resources.detection-rules.sections.thresholds')}
      </Typography>
      {sortThresholds(Object.keys(record.thresholds)).map((name) => {
        const range = THRESHOLD_RANGES[name];
        const hint = translate(`resources.detection-rules.thresholds.${name}.hint`, { _: '' });
        const rangeText = range ? translate('resources.detection-rules.range', { min: range.min, max: range.max }) : '';
        return (
          <NumberInput
            key={name}
            source={`thresholds.${name}`}
            label={translate(`resources.detection-rules.thresholds.${name}.label`, { _: name })}
            helperText={[hint, rangeText].filter(Boolean).join(' · ')}
            validate={thresholdValidators(name)}
            // No min/max/step on the <input>: the browser's own bubble would pre-empt the form's messages.
            sx={{ width: 440, maxWidth: '100%' }}
            slotProps={{ htmlInput: { 'data-testid': `threshold-${name}` } }}
          />
        );
      })}
    </>
  );
}

/** Drop an untouched reason: the API takes a string or nothing, never null. */
const withoutEmptyReason = (data: Record<string, unknown>) => {
  const { reason, ...rest } = data;
  const text = typeof reason === 'string' ? reason.trim() : '';
  return text ? { ...rest, reason: text } : rest;
};

export default function DetectionRuleEdit() {
  const translate = useTranslate();
  // Pessimistic: a threshold only counts once the server (and its audit log) accepted it.
  return (
    <Edit mutationMode="pessimistic" redirect="list" transform={withoutEmptyReason} data-testid="detection-rule-edit">
      <SimpleForm toolbar={<SaveOnlyToolbar />}>
        <RuleHeader />
        <BooleanInput source="enabled" helperText="resources.detection-rules.helpers.enabled" />
        <ThresholdInputs />
        <TextInput
          source="reason"
          multiline
          validate={maxLength(1000)}
          helperText="resources.detection-rules.helpers.reason"
          sx={{ width: 440, maxWidth: '100%' }}
        />
        <Alert severity="info" sx={{ maxWidth: 720 }}>
          {translate('resources.detection-rules.helpers.next_pass')}
        </Alert>
      </SimpleForm>
    </Edit>
  );
}
