import type { Quarantine } from './quarantine.entity.js';

/**
 * The devices one quarantine names (alias `d`), as SQL with its own
 * parameters starting at `$${first}`. Written per scope rather than with the
 * generic match so each form uses its own index on `device`.
 */
export function devicesNamedBy(
  q: Pick<Quarantine, 'scope' | 'deviceId' | 'model' | 'firmwareVersion'>,
  first = 1,
): { sql: string; params: string[] } {
  switch (q.scope) {
    case 'device':
      return { sql: `d.id = $${first}`, params: [q.deviceId!] };
    case 'firmware':
      return { sql: `d.model = $${first} AND d.firmware_version = $${first + 1}`, params: [q.model!, q.firmwareVersion!] };
    case 'model':
      return { sql: `d.model = $${first}`, params: [q.model!] };
  }
}
