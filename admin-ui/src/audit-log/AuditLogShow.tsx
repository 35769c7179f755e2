import { Show, SimpleShowLayout, TextField } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { JsonField } from '../common/JsonField';

export default function AuditLogShow() {
  // No edit/delete actions: the audit log is append-only.
  return (
    <Show actions={false}>
      <SimpleShowLayout>
        <DateTimeField source="at" />
        <TextField source="actorEmail" />
        <TextField source="action" />
        <TextField source="targetType" />
        <TextField source="targetId" />
        <TextField source="reason" emptyText="—" />
        <TextField source="requestId" />
        <TextField source="ip" />
        <JsonField source="summary" emptyText="resources.audit-log.notifications.empty_summary" />
      </SimpleShowLayout>
    </Show>
  );
}
