import { minLength } from 'react-admin';

/** Must match the backend's password policy (min 12 characters). */
export const MIN_PASSWORD_LENGTH = 12;

export const passwordLength = minLength(MIN_PASSWORD_LENGTH, 'app.validation.min_password_length');
