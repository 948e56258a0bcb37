// When `pnpm start` and the consumer test may skip a package's build.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBuildFresh } from './build-freshness.js';

describe('isBuildFresh (whether the consumer test may pack a package as built)', () => {
  it('is fresh only when every dist file is newer than every source file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twofold-fresh-'));
    try {
      const at = (path: string, seconds: number) => {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), '');
        utimesSync(join(dir, path), seconds, seconds);
      };
      at('package.json', 100);
      at('src/index.ts', 200);
      expect(isBuildFresh(dir, [])).toBe(false); // never built
      at('dist/index.js', 300);
      at('dist/index.d.ts', 300);
      expect(isBuildFresh(dir, [])).toBe(true);
      at('src/deep/changed.ts', 400); // edited after the build
      expect(isBuildFresh(dir, [])).toBe(false);
      at('dist/index.js', 500);
      expect(isBuildFresh(dir, [])).toBe(false); // one dist file still predates the edit
      at('dist/index.d.ts', 500);
      expect(isBuildFresh(dir, [])).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
