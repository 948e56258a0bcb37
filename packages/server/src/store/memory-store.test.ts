import { testClock } from '@twofold/testing';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.js';
import { updateWithRetry } from './store.js';

describe('MemoryStore', () => {
  it('continues from its entries(): values, versions and expiry, without expired entries', async () => {
    const clock = testClock({ start: 1_000_000 });
    const store = new MemoryStore({ now: clock.now });
    await store.set('kept', { a: 1 });
    await store.set('kept', { a: 2 });
    await store.set('expiring', 'x', { ttlMs: 1_000 });
    await store.set('gone', 'y', { ttlMs: 10 });
    clock.advance(500);
    const again = new MemoryStore({
      now: clock.now,
      entries: JSON.parse(JSON.stringify(store.entries())),
    });
    expect(await again.get('kept')).toEqual({ value: { a: 2 }, version: 2, expiresAt: null });
    expect(await again.get('gone')).toBeUndefined();
    expect(await again.compareAndSet('kept', 2, { a: 3 })).toBe(true);
    clock.advance(500);
    expect(await again.get('expiring')).toBeUndefined();
  });

  it('gets, sets, inserts and deletes with versions', async () => {
    const store = new MemoryStore();
    expect(await store.get('k')).toBeUndefined();
    expect(await store.insert('k', { a: 1 })).toBe(true);
    expect(await store.insert('k', { a: 2 })).toBe(false);
    expect(await store.get('k')).toEqual({ value: { a: 1 }, version: 1, expiresAt: null });
    await store.set('k', { a: 3 });
    expect((await store.get('k'))?.version).toBe(2);
    expect(await store.delete('k')).toBe(true);
    expect(await store.delete('k')).toBe(false);
  });

  it('never shares objects with callers', async () => {
    const store = new MemoryStore();
    const value = { list: [1] };
    await store.set('k', value);
    value.list.push(2);
    const read = await store.get<{ list: number[] }>('k');
    read?.value.list.push(3);
    expect((await store.get('k'))?.value).toEqual({ list: [1] });
  });

  it('compares and sets or deletes only at the expected version', async () => {
    const store = new MemoryStore();
    await store.set('k', 'a');
    expect(await store.compareAndSet('k', 2, 'b')).toBe(false);
    expect(await store.compareAndSet('k', 1, 'b')).toBe(true);
    expect(await store.compareAndDelete('k', 1)).toBe(false);
    expect(await store.compareAndDelete('k', 2)).toBe(true);
    expect(await store.compareAndSet('missing', 1, 'x')).toBe(false);
  });

  it('treats expired entries as absent everywhere', async () => {
    const clock = testClock();
    const store = new MemoryStore({ now: clock.now });
    await store.set('k', 1, { ttlMs: 1000 });
    clock.advance(999);
    expect((await store.get('k'))?.value).toBe(1);
    clock.advance(1);
    expect(await store.get('k')).toBeUndefined();
    expect(await store.consume('k')).toBeUndefined();
    expect(await store.insert('k', 2)).toBe(true);
  });

  it('consumes once among concurrent callers', async () => {
    const store = new MemoryStore();
    await store.set('k', 'prize');
    const results = await Promise.all(Array.from({ length: 100 }, () => store.consume('k')));
    expect(results.filter((r) => r === 'prize')).toHaveLength(1);
  });

  it('keeps at most the limit of events per window key, however many hits are refused', async () => {
    const clock = testClock();
    const store = new MemoryStore({ now: clock.now });
    for (let i = 0; i < 100; i++) {
      await store.hit('w', 60_000, 3);
      clock.advance(10);
    }
    const [entry] = store.entries();
    expect(JSON.parse(entry?.json ?? 'null')).toEqual({
      events: [clock.now() - 1000, clock.now() - 990, clock.now() - 980],
    });
  });

  it('lands concurrent read-modify-writes through updateWithRetry without losing any', async () => {
    const store = new MemoryStore();
    await Promise.all(
      Array.from({ length: 100 }, () =>
        updateWithRetry<number, void>(store, 'sum', (entry) => ({
          write: (entry?.value ?? 0) + 1,
          result: undefined,
        })),
      ),
    );
    expect((await store.get('sum'))?.value).toBe(100);
  });

  it('starts updateWithRetry from the caller entry, but decides to write nothing only on a fresh read', async () => {
    const store = new MemoryStore();
    await store.set('k', 1);
    const stale = await store.get<number>('k');
    await store.set('k', 2); // someone else wrote since the caller read
    const change = (entry: { value: number } | undefined) =>
      entry?.value === 2 ? { write: 3, result: 'wrote' } : { result: 'skipped' };
    expect(await updateWithRetry(store, 'k', change, { startFrom: { entry: stale } })).toBe(
      'wrote',
    );
    // A stale entry that leads to a write is caught by compare-and-set and retried.
    const older = await store.get<number>('k');
    await store.set('k', 2);
    expect(await updateWithRetry(store, 'k', change, { startFrom: { entry: older } })).toBe(
      'wrote',
    );
    expect((await store.get('k'))?.value).toBe(3);
  });
});
