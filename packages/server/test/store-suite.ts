import { type TestClock, testClock } from '@twofold/testing';
import { describe, expect, it } from 'vitest';
import { getMany, MAX_KEY_LENGTH, type Store, updateWithRetry } from '../src/store/store.js';

export type StoreFactory = (now: () => number) => Promise<Store>;

/**
 * The store-conformance suite: every Store implementation must pass it unchanged (memory,
 * PGlite, PostgreSQL). Each test gets a fresh store with its own clock.
 */
export function describeStore(name: string, makeStore: StoreFactory): void {
  async function withStore(run: (store: Store, clock: TestClock) => Promise<void>) {
    const clock = testClock();
    const store = await makeStore(clock.now);
    try {
      await run(store, clock);
    } finally {
      await store.close();
    }
  }

  // PGlite takes a few seconds to open cold, more while other suites run.
  describe(`Store contract: ${name}`, { timeout: 60_000 }, () => {
    it('gets, sets, inserts and deletes, with versions', () =>
      withStore(async (store) => {
        expect(await store.get('k')).toBeUndefined();
        expect(
          await store.insert('k', { a: 1, nested: { list: [1, 'two', null] }, text: 'ünï 🐈' }),
        ).toBe(true);
        expect(await store.insert('k', { a: 2 })).toBe(false);
        expect(await store.get('k')).toEqual({
          value: { a: 1, nested: { list: [1, 'two', null] }, text: 'ünï 🐈' },
          version: 1,
          expiresAt: null,
        });
        await store.set('k', [1, 2]);
        expect(await store.get('k')).toEqual({ value: [1, 2], version: 2, expiresAt: null });
        await store.set('s', 'a string');
        expect((await store.get('s'))?.value).toBe('a string');
        expect(await store.delete('k')).toBe(true);
        expect(await store.delete('k')).toBe(false);
        expect(await store.get('k')).toBeUndefined();
      }));

    it('reads several keys at once, in order, as get reads each (getMany)', () =>
      withStore(async (store, clock) => {
        await store.set('a', { n: 1 });
        await store.set('a', { n: 2 });
        await store.set('short', 'lived', { ttlMs: 1000 });
        await store.set("it's", ['quoted']);
        const keys = ['missing', 'a', 'short', "it's", 'a'];
        const many = await getMany(store, keys);
        expect(many).toEqual(await Promise.all(keys.map((key) => store.get(key))));
        expect(many.map((entry) => entry?.value)).toEqual([
          undefined,
          { n: 2 },
          'lived',
          ['quoted'],
          { n: 2 },
        ]);
        expect(many[1]?.version).toBe(2);
        clock.advance(1000);
        expect((await getMany(store, ['short', 'a'])).map((entry) => entry?.value)).toEqual([
          undefined,
          { n: 2 },
        ]);
        expect(await getMany(store, [])).toEqual([]);
      }));

    it('compares and sets or deletes only at the expected version', () =>
      withStore(async (store) => {
        await store.set('k', 'a');
        expect(await store.compareAndSet('k', 2, 'b')).toBe(false);
        expect(await store.compareAndSet('k', 1, 'b')).toBe(true);
        expect((await store.get('k'))?.value).toBe('b');
        expect(await store.compareAndDelete('k', 1)).toBe(false);
        expect(await store.compareAndDelete('k', 2)).toBe(true);
        expect(await store.compareAndSet('missing', 1, 'x')).toBe(false);
        expect(await store.compareAndDelete('missing', 1)).toBe(false);
      }));

    it('expires entries at their TTL, in every method, on the store clock', () =>
      withStore(async (store, clock) => {
        await store.set('k', 1, { ttlMs: 1000 });
        expect((await store.get('k'))?.expiresAt).toBe(clock.now() + 1000);
        clock.advance(999);
        expect((await store.get('k'))?.value).toBe(1);
        clock.advance(1);
        expect(await store.get('k')).toBeUndefined();
        expect(await store.consume('k')).toBeUndefined();
        expect(await store.compareAndSet('k', 1, 2)).toBe(false);
        expect(await store.delete('k')).toBe(false);
        expect(await store.insert('k', 2)).toBe(true);
        expect(await store.get('k')).toEqual({ value: 2, version: 1, expiresAt: null });
        await store.set('e', 'x', { ttlMs: 10 });
        clock.advance(10);
        await store.set('e', 'y');
        expect(await store.get('e')).toEqual({ value: 'y', version: 1, expiresAt: null });
      }));

    it('keeps or replaces the TTL with each write', () =>
      withStore(async (store, clock) => {
        await store.set('k', 1, { ttlMs: 1000 });
        const entry = await store.get('k');
        expect(await store.compareAndSet('k', entry?.version ?? 0, 2)).toBe(true);
        clock.advance(5000);
        expect((await store.get('k'))?.value).toBe(2); // written without TTL: no expiry now
      }));

    it('consumes once among 100 concurrent callers', () =>
      withStore(async (store) => {
        await store.set('prize', { id: 7 });
        const results = await Promise.all(
          Array.from({ length: 100 }, () => store.consume('prize')),
        );
        expect(results.filter((r) => r !== undefined)).toEqual([{ id: 7 }]);
      }));

    it('lets exactly one of 100 concurrent compare-and-sets win', () =>
      withStore(async (store) => {
        await store.set('k', 0);
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) => store.compareAndSet('k', 1, i + 1)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await store.get('k'))?.version).toBe(2);
      }));

    it('inserts once among 100 concurrent inserts', () =>
      withStore(async (store) => {
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) => store.insert('unique', i)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      }));

    it('records exactly the limit of 100 concurrent hits, in a sliding window, and takes back', () =>
      withStore(async (store, clock) => {
        const hits = await Promise.all(
          Array.from({ length: 100 }, () => store.hit('w', 60_000, 30)),
        );
        expect(hits.filter((hit) => hit.recorded)).toHaveLength(30);
        expect(hits.filter((hit) => !hit.recorded).map((hit) => hit.freeAt)).toEqual(
          Array.from({ length: 70 }, () => clock.now() + 60_000),
        );
        // Taking one back makes room for exactly one.
        const first = hits.find((hit) => hit.recorded);
        await store.unhit('w', first?.stamp ?? -1);
        expect((await store.hit('w', 60_000, 30)).recorded).toBe(true);
        expect((await store.hit('w', 60_000, 30)).recorded).toBe(false);
      }));

    it('slides: no window edge lets twice the limit through', () =>
      withStore(async (store, clock) => {
        const hit = () => store.hit('edge', 15 * 60_000, 5);
        // The defect of fixed windows: 1 event, 4 near the end of the window, 5 after its reset.
        expect((await hit()).recorded).toBe(true);
        clock.advance(14 * 60_000 + 51_000);
        for (let i = 0; i < 4; i++) expect((await hit()).recorded).toBe(true);
        const full = await hit();
        expect(full).toMatchObject({ recorded: false, count: 5, freeAt: clock.now() + 9_000 });
        clock.advance(22_000);
        // The first event left the window; the four recent ones are still in it.
        expect((await hit()).recorded).toBe(true);
        expect(await hit()).toMatchObject({ recorded: false, count: 5 });
        // 15 minutes after the four, the window is empty again.
        clock.advance(15 * 60_000 - 22_000);
        expect(await hit()).toMatchObject({ recorded: true, count: 2 });
      }));

    it('takes back one of two events of the same millisecond, and nothing that was not hit', () =>
      withStore(async (store) => {
        const [a, b] = await Promise.all([store.hit('ms', 1000, 2), store.hit('ms', 1000, 2)]);
        expect(a?.stamp).toBe(b?.stamp);
        await store.unhit('ms', a?.stamp ?? -1);
        await store.unhit('ms', -1);
        await store.unhit('never-hit', 0);
        expect(await store.hit('ms', 1000, 2)).toMatchObject({ recorded: true, count: 2 });
        // Taking back the only event leaves no entry (no row per refused fresh username).
        const only = await store.hit('alone', 1000, 2);
        await store.unhit('alone', only.stamp);
        expect(await store.get('alone')).toBeUndefined();
      }));

    it('lands 100 concurrent read-modify-writes through updateWithRetry without losing one', () =>
      withStore(async (store) => {
        await Promise.all(
          Array.from({ length: 100 }, () =>
            updateWithRetry<number, void>(store, 'sum', (entry) => ({
              write: (entry?.value ?? 0) + 1,
              result: undefined,
            })),
          ),
        );
        expect((await store.get('sum'))?.value).toBe(100);
      }));

    it('inserts several entries all or none', () =>
      withStore(async (store, clock) => {
        expect(
          await store.insertAll([
            { key: 'a', value: 1 },
            { key: 'b', value: 2, options: { ttlMs: 1000 } },
          ]),
        ).toBe(true);
        expect(
          await store.insertAll([
            { key: 'c', value: 3 },
            { key: 'a', value: 9 },
          ]),
        ).toBe(false);
        expect(await store.get('c')).toBeUndefined(); // nothing of the refused batch was written
        expect((await store.get('a'))?.value).toBe(1);
        clock.advance(1000);
        expect(await store.insertAll([{ key: 'b', value: 'again' }])).toBe(true); // over an expired entry
        await expect(
          store.insertAll([
            { key: 'd', value: 4 },
            { key: 'e', value: undefined },
          ]),
        ).rejects.toThrow(/JSON/);
        expect(await store.get('d')).toBeUndefined();
      }));

    it('lets one of 100 concurrent overlapping batch inserts win', () =>
      withStore(async (store) => {
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            store.insertAll([
              { key: `own${i}`, value: i },
              { key: 'shared', value: i },
            ]),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = (await store.get<number>('shared'))?.value ?? -1;
        expect((await store.get(`own${winner}`))?.value).toBe(winner);
        expect(await store.get(`own${(winner + 1) % 100}`)).toBeUndefined();
      }));

    it('takes any printable key', () =>
      withStore(async (store) => {
        for (const key of [
          'user:~no-such-user',
          'outbox:ädä@example.com',
          'a b/c?d#e',
          'quote\'"key',
        ]) {
          await store.set(key, key);
          expect((await store.get(key))?.value, key).toBe(key);
        }
      }));

    it('finds nothing under a key it cannot store (NUL, lone surrogate, too long) and refuses to write one', () =>
      withStore(async (store) => {
        for (const key of [
          'a\u0000b',
          'lone \ud800 half',
          'x'.repeat(MAX_KEY_LENGTH + 1),
          '字'.repeat(3000),
        ]) {
          expect(await store.get(key)).toBeUndefined();
          expect(await getMany(store, [key, 'absent'])).toEqual([undefined, undefined]);
          expect(await store.consume(key)).toBeUndefined();
          expect(await store.delete(key)).toBe(false);
          expect(await store.compareAndSet(key, 1, 'v')).toBe(false);
          expect(await store.compareAndDelete(key, 1)).toBe(false);
          await expect(store.set(key, 'v')).rejects.toThrow(TypeError);
          await expect(store.insert(key, 'v')).rejects.toThrow(TypeError);
          await expect(store.hit(key, 1000, 1)).rejects.toThrow(TypeError);
          await expect(
            store.insertAll([
              { key: 'fine', value: 1 },
              { key, value: 2 },
            ]),
          ).rejects.toThrow(TypeError);
          expect(await store.get('fine')).toBeUndefined();
        }
        const longest = 'k'.repeat(MAX_KEY_LENGTH);
        expect(await store.insert(longest, 'ok')).toBe(true);
        expect((await store.get(longest))?.value).toBe('ok');
      }));

    it('refuses values that are not JSON', () =>
      withStore(async (store) => {
        await expect(store.set('k', undefined)).rejects.toThrow(/JSON/);
      }));
  });
}
