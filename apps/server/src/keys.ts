import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AppConfig, ConfigError } from './config.js';

export interface Keys {
  secret: string;
  encryptionKey: string;
}

const MIN_LENGTH = 32;

/**
 * The server keys. In production both must be configured. In development a missing key is
 * generated once and kept in `<dataDir>/keys.json` (mode 0600), so restarts keep tokens and
 * sealed secrets valid; `warn` says so.
 */
export function resolveKeys(config: AppConfig, warn: (message: string) => void): Keys {
  if (config.mode === 'production') {
    const missing = [
      config.secret === undefined ? 'TWOFOLD_SECRET' : undefined,
      config.encryptionKey === undefined ? 'TWOFOLD_ENCRYPTION_KEY' : undefined,
    ].filter(Boolean);
    if (missing.length > 0) {
      throw new ConfigError(
        `production mode needs ${missing.join(' and ')} (each at least ${MIN_LENGTH} bytes of random material, e.g. \`openssl rand -base64 48\`)`,
      );
    }
  }
  // Their length is the server's to check (createApp names the setting when it refuses one).
  if (config.secret !== undefined && config.encryptionKey !== undefined) {
    return { secret: config.secret, encryptionKey: config.encryptionKey };
  }

  const file = join(config.dataDir, 'keys.json');
  let stored: Partial<Keys> = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Keys>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
    }
  }
  const generate = () => randomBytes(48).toString('base64url');
  const keys: Keys = {
    secret: config.secret ?? stored.secret ?? generate(),
    encryptionKey: config.encryptionKey ?? stored.encryptionKey ?? generate(),
  };
  // Only generated keys go to disk; configured ones stay where the operator keeps them.
  const generated: Partial<Keys> = { ...stored };
  if (config.secret === undefined) generated.secret = keys.secret;
  if (config.encryptionKey === undefined) generated.encryptionKey = keys.encryptionKey;
  if (generated.secret !== stored.secret || generated.encryptionKey !== stored.encryptionKey) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600 });
  }
  if (config.secret === undefined || config.encryptionKey === undefined) {
    warn(
      `development keys are kept in ${file}; set TWOFOLD_SECRET and TWOFOLD_ENCRYPTION_KEY for real deployments`,
    );
  }
  return keys;
}
