import { testServerOptions } from '@twofold/testing';
import { describe, expect, it } from 'vitest';
import { createTwofoldServer } from '../src/server.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { Store } from '../src/store/store.js';

// Store round trips per request are what a PostgreSQL deployment pays in latency: an
// authenticated read must cost one, not one per key (issue 13).

/** A memory store that records which of its methods are called; `without` hides some. */
function countingStore(without: string[] = []) {
  const calls: string[] = [];
  const counted = new Proxy(new MemoryStore() as Store, {
    get(target, name, receiver) {
      if (without.includes(String(name))) return undefined;
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return value.apply(target, args);
      };
    },
  });
  return { store: counted, calls };
}

const API = 'http://localhost/api/v1';

async function signedIn(store: Store) {
  const server = createTwofoldServer(testServerOptions({ store }));
  await server.admin.createUser({
    username: 'ada',
    email: 'ada@example.test',
    password: 'correct horse battery',
  });
  const login = await server.fetch(
    new Request(`${API}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'ada', password: 'correct horse battery' }),
    }),
  );
  const { data } = (await login.json()) as { data: { access_token: string } };
  const authorization = { Authorization: `Bearer ${data.access_token}` };
  return { server, authorization };
}

describe('store round trips', () => {
  it('answers GET /mfa/status with one store read (token revocation, user and MFA together)', async () => {
    const { store, calls } = countingStore();
    const { server, authorization } = await signedIn(store);
    calls.length = 0;
    const status = await server.fetch(new Request(`${API}/mfa/status`, { headers: authorization }));
    expect(status.status).toBe(200);
    expect(calls).toEqual(['getMany']);
  });

  it('still refuses a revoked token read that way', async () => {
    const { store } = countingStore();
    const { server, authorization } = await signedIn(store);
    const logout = await server.fetch(
      new Request(`${API}/auth/logout`, { method: 'POST', headers: authorization }),
    );
    expect(logout.status).toBe(200);
    const status = await server.fetch(new Request(`${API}/mfa/status`, { headers: authorization }));
    expect(status.status).toBe(401);
    expect(((await status.json()) as { error: { code: string } }).error.code).toBe('INVALID_TOKEN');
  });

  it('reads key by key from a store without getMany', async () => {
    // A Store written before getMany existed: the optional method is simply absent.
    const { store, calls } = countingStore(['getMany']);
    const { server, authorization } = await signedIn(store);
    calls.length = 0;
    const status = await server.fetch(new Request(`${API}/mfa/status`, { headers: authorization }));
    expect(status.status).toBe(200);
    expect(calls).toEqual(['get', 'get', 'get']);
  });
});
