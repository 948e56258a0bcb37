import type { Call } from './transport.js';

/**
 * The property under which a client keeps its `send` (a {@link Call} that adds the session's
 * access token, refreshed as needed, for bearer routes) for the `./webauthn` subpath. From the
 * global symbol registry, so a subpath from another copy of the package finds it too;
 * non-enumerable, so it stays out of the client's visible API.
 */
export const SEND: unique symbol = Symbol.for('@twofold/client/send');

/** What a client keeps under {@link SEND}. */
export type Send = Call;
