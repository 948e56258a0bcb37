import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodePasswordHasher } from '../node/node-scrypt.js';
import {
  defaultPasswordHasher,
  nobleScrypt,
  RECOMMENDED_SCRYPT,
  scryptHasher,
  scryptPasswordHasher,
} from './password-hasher.js';

const cheap = { logN: 10, r: 8, p: 1 };

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses others', async () => {
    const hasher = scryptHasher(nobleScrypt, cheap);
    const stored = await hasher.hash('correct horse battery staple');
    expect(stored).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await hasher.verify('correct horse battery staple', stored)).toBe(true);
    expect(await hasher.verify('correct horse battery stapl', stored)).toBe(false);
    expect(await hasher.verify('x', 'not a hash')).toBe(false);
  });

  it('salts every hash', async () => {
    const hasher = scryptHasher(nobleScrypt, cheap);
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it('reads the cost from the stored hash, and the JS and node:crypto hashers agree', async () => {
    const js = scryptHasher(nobleScrypt, cheap);
    const node = nodePasswordHasher({ logN: 11, r: 8, p: 1 });
    expect(await node.verify('pw', await js.hash('pw'))).toBe(true);
    expect(await js.verify('pw', await node.hash('pw'))).toBe(true);
  });

  it('refuses stored costs that would exhaust the server', async () => {
    const hasher = scryptHasher(nobleScrypt, cheap);
    expect(
      await hasher.verify(
        'pw',
        '$scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ),
    ).toBe(false);
  });

  it('defaults to the recommended cost (N = 2^17, r = 8, p = 1)', async () => {
    expect(RECOMMENDED_SCRYPT).toEqual({ logN: 17, r: 8, p: 1 });
    const stored = await nodePasswordHasher().hash('pw');
    expect(stored.startsWith('$scrypt$ln=17,r=8,p=1$')).toBe(true);
    expect(await scryptPasswordHasher().verify('pw', stored)).toBe(true);
  }, 30_000);

  describe("the server's default hasher", () => {
    afterEach(() => vi.restoreAllMocks());

    /** The share of `work`'s time the event loop spent busy: ~0 when the hash runs elsewhere. */
    async function loopBusyDuring(work: () => Promise<unknown>): Promise<number> {
      const before = performance.eventLoopUtilization();
      await work();
      return performance.eventLoopUtilization(before).utilization;
    }

    it('hashes on node:crypto where the runtime has it, off the event loop', async () => {
      const hasher = defaultPasswordHasher();
      const stored = await hasher.hash('pw');
      expect(stored.startsWith('$scrypt$ln=17,r=8,p=1$')).toBe(true);
      let verified = false;
      const busy = await loopBusyDuring(async () => {
        verified = await hasher.verify('pw', stored);
      });
      expect(verified).toBe(true);
      expect(busy).toBeLessThan(0.3);
    }, 30_000);

    it('falls back to JavaScript without node:crypto (a browser): same hashes, on the loop', async () => {
      vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined as never);
      const hasher = defaultPasswordHasher();
      const stored = await nodePasswordHasher().hash('pw');
      let verified = false;
      const busy = await loopBusyDuring(async () => {
        verified = await hasher.verify('pw', stored);
      });
      expect(verified).toBe(true);
      expect(busy).toBeGreaterThan(0.7);
    }, 30_000);
  });
});
