import { useState } from 'react';
import { SaveButton, setSubmissionErrors, useRecordContext, useSaveContext, useTranslate } from 'react-admin';
import { useFormContext, useWatch } from 'react-hook-form';
import { ReasonDialog } from '../common/ReasonDialog';

/**
 * Save for the user form. Switching a user off is destructive (they cannot
 * sign in and every open session of theirs ends), so that save first asks
 * for a reason and names the user; other edits save directly, their reason
 * optional as the permission matrix says.
 */
export function SaveUserButton() {
  const record = useRecordContext();
  const translate = useTranslate();
  const form = useFormContext();
  const saveContext = useSaveContext();
  const active = useWatch({ name: 'active' });
  const [values, setValues] = useState<Record<string, unknown>>();
  const deactivating = record?.active === true && active === false;

  if (!deactivating) return <SaveButton />;

  const confirm = async (reason: string) => {
    const errors = await saveContext.save?.({ ...values, reason });
    setValues(undefined);
    if (errors != null) setSubmissionErrors(errors as Record<string, unknown>, form.setError);
  };

  return (
    <>
      <SaveButton
        type="button"
        label="resources.users.deactivate.save"
        color="error"
        // Validate the form first; the dialog opens only for a savable form.
        onClick={(event) => {
          event.preventDefault();
          void form.handleSubmit((valid) => setValues(valid))(event);
        }}
        data-testid="user-save-deactivate"
      />
      {values && (
        <ReasonDialog
          open
          onClose={() => setValues(undefined)}
          onConfirm={confirm}
          title={translate('resources.users.deactivate.title', { email: record?.email })}
          intro={translate('resources.users.deactivate.intro', { email: record?.email })}
          reasonLabel="resources.users.deactivate.reason"
          reasonHelper="resources.users.deactivate.reason_hint"
          confirmLabel="resources.users.deactivate.submit"
          confirmColor="error"
          data-testid="user-deactivate-dialog"
        />
      )}
    </>
  );
}
