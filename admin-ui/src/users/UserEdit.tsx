import { BooleanInput, Edit, SelectArrayInput, SimpleForm, TextInput, Toolbar, required } from 'react-admin';
import { roleChoices } from './roles';
import { SaveUserButton } from './SaveUserButton';

// Save only: users are never deleted (deactivate with active=false, which asks for a reason), so no DeleteButton.
const SaveOnlyToolbar = () => (
  <Toolbar>
    <SaveUserButton />
  </Toolbar>
);

export default function UserEdit() {
  // Pessimistic: role changes are security-relevant; the UI must not pretend a
  // change happened before the server (and its audit log) accepted it.
  return (
    <Edit mutationMode="pessimistic" redirect="show">
      <SimpleForm toolbar={<SaveOnlyToolbar />}>
        <TextInput source="email" readOnly />
        <TextInput source="fullName" validate={required()} />
        <SelectArrayInput source="roles" choices={roleChoices} validate={required()} />
        <BooleanInput source="active" helperText="resources.users.helpers.active" />
        <TextInput source="reason" multiline helperText="resources.users.helpers.reason" />
      </SimpleForm>
    </Edit>
  );
}
