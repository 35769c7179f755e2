import type { Request, Response } from 'express';

export const sessionCookieName = 'rd_session';

/** The session token from `Authorization: Bearer …` (API clients) or the cookie (the UI). */
export function readSessionToken(req: Request): { token: string; via: 'bearer' | 'cookie' } | undefined {
  const header = req.header('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) return { token: header.slice(7).trim(), via: 'bearer' };
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === sessionCookieName && value.length) return { token: decodeURIComponent(value.join('=')), via: 'cookie' };
  }
  return undefined;
}

/** httpOnly so scripts cannot read it; SameSite=Strict so other sites cannot send it. */
export function setSessionCookie(req: Request, res: Response, token: string, maxAgeSeconds: number) {
  res.cookie(sessionCookieName, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge: maxAgeSeconds * 1000 });
}

export function clearSessionCookie(req: Request, res: Response) {
  res.clearCookie(sessionCookieName, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
}
