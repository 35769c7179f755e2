import Typography from '@mui/material/Typography';
import {
  Create,
  DateTimeInput,
  FormDataConsumer,
  RadioButtonGroupInput,
  SimpleForm,
  TextInput,
  maxLength,
  required,
  useNotify,
  useRedirect,
  useTranslate,
  type Validator,
} from 'react-admin';
import { reasonValidators } from '../common/ReasonDialog';
import { QuarantinePreview } from './QuarantinePreview';
import { scopeChoices, type Quarantine } from './types';

const inFuture: Validator = (value) =>
  value && new Date(value).getTime() <= Date.now() ? 'resources.quarantines.validation.expires_in_future' : undefined;

/**
 * Only the keys of the chosen scope (the API refuses the others), trimmed;
 * the local date-time of the expiry becomes an ISO instant.
 */
export function toCreateBody(data: Record<string, unknown>) {
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string).trim() : undefined);
  const expires = text('expiresAt');
  const incidentId = text('incidentId');
  const common = {
    reason: text('reason') ?? '',
    ...(expires ? { expiresAt: new Date(expires).toISOString() } : {}),
    ...(incidentId ? { incidentId } : {}),
  };
  switch (data.scope) {
    case 'device':
      return { scope: 'device', deviceId: text('deviceId'), ...common };
    case 'firmware':
      return { scope: 'firmware', model: text('model'), firmwareVersion: text('firmwareVersion'), ...common };
    default:
      return { scope: data.scope, model: text('model'), ...common };
  }
}

function TargetInputs() {
  return (
    <FormDataConsumer<{ scope?: string }>>
      {({ formData }) =>
        formData.scope === 'device' ? (
          <TextInput
            source="deviceId"
            validate={[required(), maxLength(128)]}
            helperText="resources.quarantines.helpers.deviceId"
            sx={{ width: 440, maxWidth: '100%' }}
            slotProps={{ htmlInput: { 'data-testid': 'quarantine-device-input' } }}
          />
        ) : (
          <>
            <TextInput
              source="model"
              validate={[required(), maxLength(100)]}
              helperText="resources.quarantines.helpers.model"
              sx={{ width: 440, maxWidth: '100%' }}
            />
            {formData.scope === 'firmware' && (
              <TextInput
                source="firmwareVersion"
                validate={[required(), maxLength(50)]}
                helperText="resources.quarantines.helpers.firmwareVersion"
                sx={{ width: 440, maxWidth: '100%' }}
              />
            )}
          </>
        )
      }
    </FormDataConsumer>
  );
}

function IncidentNote() {
  const translate = useTranslate();
  return (
    <FormDataConsumer<{ incidentId?: string }>>
      {({ formData }) =>
        formData.incidentId ? (
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {translate('resources.quarantines.helpers.linked_incident', { id: formData.incidentId })}
          </Typography>
        ) : null
      }
    </FormDataConsumer>
  );
}

export default function QuarantineCreate() {
  const notify = useNotify();
  const redirect = useRedirect();
  const onSuccess = (created: Quarantine) => {
    notify('resources.quarantines.notifications.created', { type: 'success', messageArgs: { smart_count: created.devicesNamed ?? 0 } });
    redirect('show', 'quarantines', created.id);
  };
  return (
    <Create
      title="resources.quarantines.create_title"
      transform={toCreateBody}
      mutationOptions={{ onSuccess }}
      data-testid="quarantine-create"
    >
      <SimpleForm defaultValues={{ scope: 'device' }}>
        <RadioButtonGroupInput
          source="scope"
          choices={scopeChoices}
          validate={required()}
          helperText="resources.quarantines.helpers.scope"
        />
        <TargetInputs />
        <QuarantinePreview />
        <TextInput
          source="reason"
          multiline
          minRows={2}
          validate={reasonValidators}
          helperText="resources.quarantines.helpers.reason"
          sx={{ width: 720, maxWidth: '100%' }}
          slotProps={{ htmlInput: { maxLength: 1000, 'data-testid': 'quarantine-reason-input' } }}
        />
        <DateTimeInput
          source="expiresAt"
          validate={inFuture}
          helperText="resources.quarantines.helpers.expiresAt"
          sx={{ width: 440, maxWidth: '100%' }}
        />
        <IncidentNote />
      </SimpleForm>
    </Create>
  );
}
