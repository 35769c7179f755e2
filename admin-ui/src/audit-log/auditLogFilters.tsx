import { DateInput, TextInput } from 'react-admin';

// from/to are calendar days (YYYY-MM-DD); the API treats `to` as inclusive.
export const auditLogFilters = [
  <TextInput key="actorEmail" source="actorEmail" alwaysOn />,
  <TextInput key="action" source="action" alwaysOn />,
  <TextInput key="targetType" source="targetType" />,
  <TextInput key="targetId" source="targetId" />,
  <DateInput key="from" source="from" />,
  <DateInput key="to" source="to" />,
];
