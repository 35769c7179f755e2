import { useState } from 'react';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import { Form, PasswordInput, SaveButton, Title, required, useNotify, useTranslate, type Validator } from 'react-admin';
import { passwordLength } from '../common/passwordPolicy';
import { changePassword } from './changePassword';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

const matchesNewPassword: Validator = (value, values: Partial<PasswordForm>) =>
  value && value !== values.newPassword ? 'app.account.passwords_mismatch' : undefined;

export default function AccountPage() {
  const translate = useTranslate();
  const notify = useNotify();
  // Remounting the form is the simplest way to wipe passwords after success.
  const [formKey, setFormKey] = useState(0);

  const submit = async (values: Partial<PasswordForm>) => {
    try {
      await changePassword(values.currentPassword ?? '', values.newPassword ?? '');
    } catch (error) {
      const body = (error as { body?: { errors?: Record<string, unknown> } }).body;
      // Field errors (e.g. wrong current password) are shown under the inputs.
      if (body?.errors) return body.errors;
      notify((error as Error).message || 'ra.notification.http_error', { type: 'error' });
      return undefined;
    }
    notify('app.account.password_changed', { type: 'success' });
    setFormKey((key) => key + 1);
    return undefined;
  };

  return (
    <Card sx={{ mt: 2, maxWidth: 480 }} data-testid="account-page">
      <Title title="app.account.title" />
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {translate('app.account.change_password')}
        </Typography>
        <Form key={formKey} onSubmit={submit}>
          <PasswordInput
            source="currentPassword"
            label="app.account.current_password"
            autoComplete="current-password"
            validate={required()}
            fullWidth
          />
          <PasswordInput
            source="newPassword"
            label="app.account.new_password"
            autoComplete="new-password"
            validate={[required(), passwordLength]}
            helperText="app.account.new_password_hint"
            fullWidth
          />
          <PasswordInput
            source="confirmPassword"
            label="app.account.confirm_password"
            autoComplete="new-password"
            validate={[required(), matchesNewPassword]}
            fullWidth
          />
          <SaveButton label="app.account.submit" />
        </Form>
      </CardContent>
    </Card>
  );
}
