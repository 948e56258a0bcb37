import { MESSAGES } from '@twofold/contract';
import { type MfaRead, type MfaRecord, mfaKey } from '../domain/mfa.js';
import { revokedKey, type SessionClaims } from '../domain/tokens.js';
import { sessionIsCurrent, type UserRecord, userKey } from '../domain/users.js';
import type { Services } from '../services.js';
import { getMany, type StoreEntry } from '../store/store.js';
import { ApiError } from './api-error.js';
import type { IncomingRequest } from './exchange.js';

const BEARER = /^bearer +(\S+)$/i;

/** The bearer token of the request, if any (scheme matched case-insensitively, RFC 7235). */
export function bearerToken(request: IncomingRequest): string | undefined {
  return BEARER.exec(request.headers.get('Authorization') ?? '')?.[1];
}

/** Who a valid access token belongs to, and their MFA record as read with it. */
export interface Authenticated {
  user: UserRecord;
  mfa: MfaRead;
  /** The login the token belongs to. */
  session: SessionClaims;
}

/**
 * The user of a valid access token, or `UNAUTHORIZED` / `INVALID_TOKEN`. The token's
 * revocation, the user and the user's MFA record (which most authenticated routes read) are
 * read in one store round trip.
 */
export async function authenticate(
  request: IncomingRequest,
  services: Services,
): Promise<Authenticated> {
  const raw = bearerToken(request);
  if (raw === undefined) throw new ApiError('UNAUTHORIZED', MESSAGES.authRequired);
  const token = await services.tokens.verifyUnlessRevoked(raw, 'access');
  if (token === undefined) throw new ApiError('INVALID_TOKEN', MESSAGES.tokenInvalid);
  const [revoked, user, mfa] = await getMany(services.store, [
    revokedKey(token.jti),
    userKey(token.userId),
    mfaKey(token.userId),
  ]);
  const record = user?.value as UserRecord | undefined;
  if (revoked !== undefined || record === undefined || !sessionIsCurrent(record, token.session)) {
    throw new ApiError('INVALID_TOKEN', MESSAGES.tokenInvalid);
  }
  return {
    user: record,
    mfa: { entry: mfa as StoreEntry<MfaRecord> | undefined },
    session: token.session,
  };
}
