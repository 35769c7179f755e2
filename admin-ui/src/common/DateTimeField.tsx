import { DateField, type DateFieldProps } from 'react-admin';

/** Timestamps are shown with seconds: audit work compares events that are close together. */
export function DateTimeField(props: DateFieldProps) {
  return (
    <DateField
      showTime
      options={{ year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }}
      {...props}
    />
  );
}
