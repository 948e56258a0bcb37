import type { WindowHit } from './store.js';

/** What a store keeps under a {@link Store.hit} key: the recorded events' times, oldest first. */
export interface WindowEvents {
  events: number[];
}

/** The events of `events` still inside the window ending at `now`, oldest first. */
export function liveEvents(events: readonly number[], now: number, windowMs: number): number[] {
  return events.filter((stamp) => stamp > now - windowMs).sort((a, b) => a - b);
}

/** The {@link WindowHit} a store answers for the live `events` after a hit at `stamp`. */
export function windowHit(
  events: readonly number[],
  recorded: boolean,
  stamp: number,
  windowMs: number,
  limit: number,
): WindowHit {
  const count = events.length;
  // The window has room again when the event `limit` places from the newest leaves it.
  const keepingFull = count >= limit ? events[count - limit] : undefined;
  return {
    recorded,
    count,
    freeAt: keepingFull === undefined ? stamp : keepingFull + windowMs,
    stamp,
  };
}

/** Throws unless `windowMs` and `limit` describe a window (a bug upstream, not client input). */
export function assertWindow(windowMs: number, limit: number): void {
  if (!(Number.isInteger(windowMs) && windowMs > 0 && Number.isInteger(limit) && limit > 0)) {
    throw new RangeError(`a window needs a positive windowMs and limit, got ${windowMs}, ${limit}`);
  }
}
