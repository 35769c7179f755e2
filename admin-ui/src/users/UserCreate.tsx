import { Create, PasswordInput, SelectArrayInput, SimpleForm, TextInput, email, required } from 'react-admin';
import { passwordLength } from '../common/passwordPolicy';
import { roleChoices } from './roles';

export default function UserCreate() {
  return (
    <Create redirect="show">
      <SimpleForm>
        <TextInput source="email" type="email" autoComplete="off" validate={[required(), email()]} />
        <TextInput source="fullName" validate={required()} />
        <SelectArrayInput source="roles" choices={roleChoices} validate={required()} />
        <PasswordInput
          source="password"
          autoComplete="new-password"
          validate={[required(), passwordLength]}
          helperText="resources.users.helpers.password"
        />
        <TextInput source="reason" multiline helperText="resources.users.helpers.reason" />
      </SimpleForm>
    </Create>
  );
}
