import { BooleanField, Show, SimpleShowLayout, TextField } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { RolesField } from './RolesField';

export default function UserShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="email" />
        <TextField source="fullName" />
        <RolesField source="roles" />
        <BooleanField source="active" />
        <DateTimeField source="lastLoginAt" />
        <DateTimeField source="createdAt" />
        <DateTimeField source="updatedAt" />
      </SimpleShowLayout>
    </Show>
  );
}
