import { appFromSource, temporaryDirectory } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

const dataDir = () => temporaryDirectory('twofold-cli-');
const keys = { TWOFOLD_SECRET: 's'.repeat(40), TWOFOLD_ENCRYPTION_KEY: 'e'.repeat(40) };

describe('twofold-server command line', () => {
  it('prints the options with --help and exits 0', async () => {
    const app = appFromSource(['--help'], {});
    expect(await app.exit(20_000)).toBe(0);
    for (const name of [
      'PORT',
      'HOST',
      'TWOFOLD_MODE',
      'TWOFOLD_DATA_DIR',
      'SMTP_URL',
      'TWOFOLD_SECRET',
      'TWOFOLD_ENCRYPTION_KEY',
      'TWOFOLD_CORS_ORIGINS',
    ]) {
      expect(app.output().stdout).toContain(name);
    }
  }, 30_000);

  it('refuses to start in production without keys, with a clear message and exit code 1', async () => {
    const app = appFromSource([], {
      TWOFOLD_MODE: 'production',
      TWOFOLD_DATA_DIR: dataDir(),
      TWOFOLD_SECRET: '',
      TWOFOLD_ENCRYPTION_KEY: '',
    });
    expect(await app.exit(20_000)).toBe(1);
    expect(app.output().stderr).toContain(
      'production mode needs TWOFOLD_SECRET and TWOFOLD_ENCRYPTION_KEY',
    );
    expect(app.output().stderr).not.toMatch(/\n\s+at /); // no stack trace for a configuration mistake
  }, 30_000);

  it('refuses to start in production without SMTP', async () => {
    const app = appFromSource(['--mode', 'production'], {
      ...keys,
      TWOFOLD_DATA_DIR: dataDir(),
      SMTP_URL: '',
    });
    expect(await app.exit(20_000)).toBe(1);
    expect(app.output().stderr).toContain('SMTP_URL is required in production mode');
    expect(app.output().stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('refuses an unknown flag', async () => {
    const app = appFromSource(['--prot', '80'], {});
    expect(await app.exit(20_000)).toBe(1);
    expect(app.output().stderr).toContain('--help');
  }, 30_000);
});
