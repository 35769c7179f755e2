import Typography from '@mui/material/Typography';
import { useFieldValue, type FieldProps } from 'react-admin';

interface Address {
  name?: string | null;
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
}

/** A postal address as lines, the way it would appear on a shipping label. */
export function AddressField({ source, record }: FieldProps) {
  const address = useFieldValue({ source, record }) as Address | null | undefined;
  if (!address) return <span>—</span>;
  const lines = [
    address.name,
    address.line1,
    address.line2,
    [[address.city, address.region].filter(Boolean).join(', '), address.postalCode].filter(Boolean).join(' '),
    address.country,
  ].filter((line): line is string => Boolean(line));
  return (
    <Typography component="address" variant="body2" sx={{ fontStyle: 'normal' }}>
      {lines.map((line, index) => (
        <span key={index}>
          {line}
          <br />
        </span>
      ))}
    </Typography>
  );
}
