import { MESSAGES } from '@twofold/contract';
import type { UserRecord } from '../domain/users.js';
import type { Services } from '../services.js';
import { ApiError } from './api-error.js';

const BEARER = /^bearer +(\S+)$/i;

/** The bearer token of the request, if any (scheme matched case-insensitively, RFC 7235). */
export function bearerToken(request: Request): string | undefined {
  return BEARER.exec(request.headers.get('Authorization') ?? '')?.[1];
}

/** The user of a valid access token, or `UNAUTHORIZED` / `INVALID_TOKEN`. */
export async function authenticate(request: Request, services: Services): Promise<UserRecord> {
  const raw = bearerToken(request);
  if (raw === undefined) throw new ApiError('UNAUTHORIZED', MESSAGES.authRequired);
  const token = await services.tokens.verify(raw, 'access');
  const user = token === undefined ? undefined : await services.users.get(token.userId);
  if (user === undefined) throw new ApiError('INVALID_TOKEN', MESSAGES.tokenInvalid);
  return user;
}
