/**
 * Makes overlapping identical calls share one request: a double click on "verify" sends one,
 * and React StrictMode's doubled effect makes one pending secret, not two. Calls share only
 * when their abort signal is the same (or both have none), so aborting one caller's call never
 * fails another caller's.
 */
export function sharedInFlight() {
  const pending = new Map<string, { signal: AbortSignal | undefined; promise: Promise<unknown> }>();
  return <T>(key: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> => {
    const current = pending.get(key);
    if (current !== undefined && current.signal === signal) return current.promise as Promise<T>;
    const promise = run().finally(() => {
      if (pending.get(key)?.promise === promise) pending.delete(key);
    });
    pending.set(key, { signal, promise });
    return promise;
  };
}
