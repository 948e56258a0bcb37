import type { OutboxEntry } from '@twofold/contract';
import type { Signal, TwofoldClient } from './client.js';
import { SEND, type Send } from './send.js';

export type { OutboxEntry } from '@twofold/contract';

/**
 * The verification emails a development server sent to `email`, newest first
 * (`GET /api/v1/dev/outbox?to=`): the very entries `mock.outbox.list(email)` of `@twofold/mock`
 * returns, so a dev tool or an end-to-end test reads the link the same way against the mock and
 * against `twofold-server` in development mode. A production server answers `NOT_FOUND`. In
 * its own subpath so that apps that never call it do not ship it.
 *
 * @example
 * ```ts
 * import { createClient } from '@twofold/client';
 * import { devOutbox } from '@twofold/client/dev';
 * const client = createClient({ baseUrl: 'https://auth.example.com' });
 * await client.auth.login({ username: 'bob', password: 'correct horse battery staple' });
 * await client.email.sendVerification();
 * const [email] = await devOutbox(client, 'bob@example.com');
 * email?.link.includes(`token=${email.token}`); // true
 * ```
 */
export async function devOutbox(
  client: TwofoldClient,
  email: string,
  { signal }: Signal = {},
): Promise<OutboxEntry[]> {
  const send = (client as { [SEND]?: Send })[SEND];
  if (!send) throw new TypeError('devOutbox() needs a client of createClient()');
  return [...(await send('dev.outbox', { query: { to: email }, signal }))];
}
