import { http } from '../providers/http';

/** `POST /api/auth/password` → 204. Field errors come back as a 400 with `fields`. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await http('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
}
