import { hash, verify } from '@node-rs/argon2';

/**
 * Argon2id with the library's defaults (OWASP's recommended minimum). A
 * verification against a dummy hash keeps "unknown email" as slow as "wrong
 * password", so timing does not reveal which accounts exist.
 */
export const passwordHasher = {
  hash: (password: string) => hash(password),
  verify: (passwordHash: string, password: string) => verify(passwordHash, password).catch(() => false),
  dummyVerify: async (password: string) => {
    dummy ??= await hash('not-a-real-password');
    await verify(dummy, password).catch(() => false);
    return false;
  },
};

let dummy: string | undefined;

export const passwordPolicy = {
  minLength: 12,
  maxLength: 256,
};
