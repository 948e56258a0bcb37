import type {
  OptionalRequestBody,
  PathParams,
  RequestBody,
  ResponseData,
  ROUTES,
  RouteId,
} from '@twofold/contract';
import type { MfaRead } from '../domain/mfa.js';
import type { SessionClaims } from '../domain/tokens.js';
import type { UserRecord } from '../domain/users.js';
import type { IncomingRequest } from '../http/exchange.js';
import type { Services } from '../services.js';

/**
 * One request as the handler of route `Id` sees it: the body already validated against the
 * route's schema, and the user already authenticated when the route takes a bearer token.
 */
export interface RequestContext<Id extends RouteId> {
  request: IncomingRequest;
  url: URL;
  body: RequestBody<Id>;
  /** The validated optional body of routes that read one (e.g. `mfa.setup`'s step-up proof). */
  optionalBody: OptionalRequestBody<Id>;
  /** The path parameters, decoded (e.g. `credential_id`). */
  params: PathParams<Id>;
  user: (typeof ROUTES)[Id]['auth'] extends 'bearer' ? UserRecord : undefined;
  /**
   * The user's MFA record as read with the token (same round trip), for
   * `services.mfa.load(user.id, mfa)`: a read-only route then needs no second round trip.
   */
  mfa: (typeof ROUTES)[Id]['auth'] extends 'bearer' ? MfaRead : undefined;
  /** The login the access token belongs to (to keep it when ending the user's other sessions). */
  session: (typeof ROUTES)[Id]['auth'] extends 'bearer' ? SessionClaims : undefined;
  /** The address attempts are counted against; undefined when the adapter gave none. */
  client: string | undefined;
  services: Services;
}

/**
 * Answers route `Id` with its `data` (or nothing, for message-only routes: the core adds the
 * contract's message), or throws an `ApiError`.
 */
export type Handler<Id extends RouteId> = (
  context: RequestContext<Id>,
) => Promise<ResponseData<Id>>;

/** A handler for every route of the contract, each typed by its own route. */
export type HandlerTable = { [Id in RouteId]: Handler<Id> };
