import { describe, expect, it } from 'vitest';
import { nodePasswordHasher } from '../node/node-scrypt.js';
import {
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
});
