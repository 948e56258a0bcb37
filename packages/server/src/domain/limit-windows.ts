import type { Store, WindowHit } from '../store/store.js';
import { LimitExceeded } from './limit-exceeded.js';

/** At most `limit` events under `key` in any `windowMs` (a sliding window). */
export interface LimitWindow {
  key: string;
  windowMs: number;
  limit: number;
}

/** Events recorded in every window of {@link hitEach}, to take back when they should not count. */
export interface RecordedHits {
  readonly hits: readonly WindowHit[];
  /** Takes every event back (a success, a matching password). */
  takeBack(): Promise<void>;
}

/**
 * Records one event in every window, or in none: when any window is full, the events recorded
 * in the others are taken back (a refused request is no attempt) and {@link LimitExceeded}
 * says when the fullest one has room again.
 */
export async function hitEach(
  store: Store,
  windows: readonly LimitWindow[],
  now: () => number,
): Promise<RecordedHits> {
  const hits = await Promise.all(
    windows.map(({ key, windowMs, limit }) => store.hit(key, windowMs, limit)),
  );
  const takeBack = async () => {
    await Promise.all(
      hits.map((hit, index) => {
        const key = windows[index]?.key;
        return hit.recorded && key !== undefined ? store.unhit(key, hit.stamp) : undefined;
      }),
    );
  };
  const refused = hits.filter((hit) => !hit.recorded);
  if (refused.length > 0) {
    await takeBack();
    throw new LimitExceeded(Math.max(...refused.map((hit) => hit.freeAt)) - now());
  }
  return { hits, takeBack };
}
