import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryDirectory } from '@twofold/testing';
import { describe, expect, it } from 'vitest';
import { type AppConfig, readConfig } from '../src/config.js';
import { resolveKeys } from '../src/keys.js';

const configFrom = (env: NodeJS.ProcessEnv) => readConfig([], env) as AppConfig;
const tempDir = () => temporaryDirectory('twofold-keys-');

describe('resolveKeys', () => {
  it('generates missing development keys once, keeps them private on disk, and warns', () => {
    const dataDir = tempDir();
    const warnings: string[] = [];
    const first = resolveKeys(configFrom({ TWOFOLD_DATA_DIR: dataDir }), (m) => warnings.push(m));
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    expect(first.encryptionKey).not.toBe(first.secret);
    const file = join(dataDir, 'keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings.join()).toContain(file);
    // A restart reads the same keys, so tokens and sealed secrets stay valid.
    expect(resolveKeys(configFrom({ TWOFOLD_DATA_DIR: dataDir }), () => {})).toEqual(first);
  });

  it('never writes configured keys to disk', () => {
    const dataDir = tempDir();
    const secret = 'configured secret of at least 32 bytes!!';
    const keys = resolveKeys(
      configFrom({ TWOFOLD_DATA_DIR: dataDir, TWOFOLD_SECRET: secret }),
      () => {},
    );
    expect(keys.secret).toBe(secret);
    expect(readFileSync(join(dataDir, 'keys.json'), 'utf8')).not.toContain(secret);
  });

  it('stops a production start without both keys, naming what is missing', () => {
    const config = configFrom({ TWOFOLD_MODE: 'production', TWOFOLD_DATA_DIR: tempDir() });
    expect(() => resolveKeys(config, () => {})).toThrow(
      /TWOFOLD_SECRET and TWOFOLD_ENCRYPTION_KEY/,
    );
    const half = configFrom({ TWOFOLD_MODE: 'production', TWOFOLD_SECRET: 'x'.repeat(40) });
    expect(() => resolveKeys(half, () => {})).toThrow(/needs TWOFOLD_ENCRYPTION_KEY/);
  });
});
