import { createClient, webStorageTokenStore } from '@twofold/client';
import { passkeys } from '@twofold/client/webauthn';

// The page is served by the API's own origin (apps/server at /, or the mock in this page's
// Service Worker), so the SDK talks to the same origin; the session survives a reload.
export const client = createClient({
  baseUrl: location.origin,
  tokenStore: webStorageTokenStore(sessionStorage),
});

/** Passkeys through the browser's own prompt (`navigator.credentials`), on the same client. */
export const keys = passkeys(client);
