import { parseArgs } from 'node:util';

/** Everything the server process is configured with. */
export interface AppConfig {
  port: number;
  host: string;
  mode: 'development' | 'production';
  dataDir: string;
  smtpUrl: string | undefined;
  smtpFrom: string;
  secret: string | undefined;
  encryptionKey: string | undefined;
  /** Earlier encryption keys, decryption only, while rotating the encryption key. */
  previousEncryptionKeys: string[];
  corsOrigins: string[];
  publicUrl: string | undefined;
  /** Where email links lead (`{token}` in it); default: this server's confirmation page. */
  verifyUrl: string | undefined;
  /** Proxies in front whose X-Forwarded-For entry is believed (0 = the socket peer counts). */
  trustProxy: number;
  /** PostgreSQL to use instead of the embedded PGlite. */
  databaseUrl: string | undefined;
  /** The passkey relying party id; in development it defaults from the public URL (passkeys.ts). */
  rpId: string | undefined;
  /** The name authenticators show. */
  rpName: string;
  /** The origins of the pages that make passkeys; in development they default from the public URL. */
  origins: string[];
  webauthnUserVerification: 'required' | 'preferred';
  /** Authenticator models (AAGUIDs, lower case) that may register passkeys; empty = any. */
  webauthnAaguids: string[];
  /** Serve the demo app (apps/demo) at `/`. */
  demo: boolean;
  /** The issuer authenticator apps show beside the username (`Issuer:username`). */
  totpIssuer: string;
  /** Password KDF cost: scrypt N = 2^scryptLogN (r 8, p 1). */
  scryptLogN: number;
}

/** Each setting: its flag, its environment variable, and what it means. */
export const SETTINGS = [
  { flag: 'port', env: 'PORT', help: 'TCP port (default 8787; 0 picks a free one)' },
  { flag: 'host', env: 'HOST', help: 'address to listen on (default 127.0.0.1)' },
  { flag: 'mode', env: 'TWOFOLD_MODE', help: 'development (default) or production' },
  {
    flag: 'data-dir',
    env: 'TWOFOLD_DATA_DIR',
    help: 'embedded database and generated development keys (default ./.twofold)',
  },
  {
    flag: 'smtp-url',
    env: 'SMTP_URL',
    help: 'SMTP relay for verification emails, e.g. smtp://user:pass@host:587 (required in production)',
  },
  {
    flag: 'smtp-from',
    env: 'SMTP_FROM',
    help: 'From address of verification emails (default no-reply@localhost)',
  },
  {
    flag: 'secret',
    env: 'TWOFOLD_SECRET',
    help: 'token-signing and pepper key material, 32+ bytes (required in production)',
  },
  {
    flag: 'encryption-key',
    env: 'TWOFOLD_ENCRYPTION_KEY',
    help: 'key material for TOTP secrets at rest, 32+ bytes (required in production)',
  },
  {
    flag: 'previous-encryption-keys',
    env: 'TWOFOLD_PREVIOUS_ENCRYPTION_KEYS',
    help: 'comma-separated earlier encryption keys, for decryption only while rotating the encryption key (secrets are sealed again under the new one when next used)',
  },
  {
    flag: 'cors-origins',
    env: 'TWOFOLD_CORS_ORIGINS',
    help: 'comma-separated browser origins allowed to call the API (development also allows localhost, 127.0.0.1 and [::1] on any port)',
  },
  {
    flag: 'public-url',
    env: 'TWOFOLD_PUBLIC_URL',
    help: 'base URL of links in emails (default http://HOST:PORT)',
  },
  {
    flag: 'verify-url',
    env: 'TWOFOLD_VERIFY_URL',
    help: "where the link in verification emails leads, {token} standing for the token, e.g. https://app.example.com/verify-email?token={token} (default: this server's confirmation page, PUBLIC_URL/verify-email)",
  },
  {
    flag: 'database-url',
    env: 'DATABASE_URL',
    help: 'PostgreSQL to share between server processes (default: embedded PGlite in the data dir)',
  },
  {
    flag: 'trust-proxy',
    env: 'TWOFOLD_TRUST_PROXY',
    help: 'number of reverse proxies whose X-Forwarded-For is believed (default 0)',
  },
  {
    flag: 'rp-id',
    env: 'TWOFOLD_RP_ID',
    help: "passkeys: the site's domain, e.g. example.com (required in production; default: the public URL's host, localhost for an IP address)",
  },
  {
    flag: 'rp-name',
    env: 'TWOFOLD_RP_NAME',
    help: 'passkeys: the name authenticators show (default Twofold)',
  },
  {
    flag: 'origins',
    env: 'TWOFOLD_ORIGINS',
    help: "passkeys: comma-separated origins of the pages that use them, each on the rp id (required in production; default: the public URL's origin, http://localhost:PORT for an IP address)",
  },
  {
    flag: 'webauthn-user-verification',
    env: 'TWOFOLD_WEBAUTHN_USER_VERIFICATION',
    help: 'passkeys: preferred (default), or required (PIN or biometrics on every use)',
  },
  {
    flag: 'webauthn-aaguids',
    env: 'TWOFOLD_WEBAUTHN_AAGUIDS',
    help: 'passkeys: comma-separated AAGUIDs, the only authenticator models that may register (default: any)',
  },
  {
    flag: 'totp-issuer',
    env: 'TWOFOLD_TOTP_ISSUER',
    help: 'the issuer authenticator apps show: entries read Issuer:username (default Twofold)',
  },
  {
    flag: 'dev-expose',
    env: 'TWOFOLD_DEV_EXPOSE',
    help: 'development only: "yes" lets --host be other than loopback; anyone who reaches the server then reads every verification token in its outbox (default: refused)',
  },
  {
    flag: 'demo',
    env: 'TWOFOLD_DEMO',
    help: 'serve the demo app at / ("yes" or "no", a bare --demo is yes; default: yes in development, no in production)',
  },
  {
    flag: 'scrypt-log-n',
    env: 'TWOFOLD_SCRYPT_LOG_N',
    help: "password hashing cost, scrypt N = 2^this, r = 8, p = 1 (default 17, OWASP, 128 MiB per hash); production accepts 15 (Better Auth's memory cost, 4x cheaper logins, and 4x cheaper guesses at a stolen hash: the start says so), development 10 for fast test runs",
  },
] as const;

/** The password KDF cost by default: OWASP's scrypt N = 2^17 (r 8, p 1). */
export const RECOMMENDED_SCRYPT_LOG_N = 17;
/**
 * The lowest cost production accepts: N = 2^15 with r = 8 takes 32 MiB, what Better Auth's
 * default (N = 2^14, r = 16) takes; below it a stolen hash is too cheap to guess.
 */
const PRODUCTION_MIN_SCRYPT_LOG_N = 15;

const FLAG_WIDTH = Math.max(...SETTINGS.map(({ flag }) => flag.length)) + 2;
const ENV_WIDTH = Math.max(...SETTINGS.map(({ env }) => env.length)) + 2;

export const HELP = [
  'Usage: twofold-server [options]',
  '',
  'The Twofold reference server (MFA and email verification, wire-compatible with auth-framework).',
  'Every option can also be given as an environment variable; a flag wins over the variable.',
  '',
  ...SETTINGS.map(
    ({ flag, env, help }) => `  --${flag.padEnd(FLAG_WIDTH)}${env.padEnd(ENV_WIDTH)}${help}`,
  ),
  `  --${'help'.padEnd(FLAG_WIDTH)}${''.padEnd(ENV_WIDTH)}print this help`,
].join('\n');

const AAGUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A yes/no setting; undefined when unset. */
function yesOrNo(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'yes' || value === 'no') return value === 'yes';
  throw new ConfigError(`${name} must be yes or no, got ${value}`);
}

/** A comma-separated setting as a list, blanks dropped. */
const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Whether `host` is reachable from this machine only (127.0.0.0/8, ::1, localhost). */
function isLoopback(host: string): boolean {
  return (
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || ['::1', '[::1]', 'localhost'].includes(host)
  );
}

/** A configuration mistake, reported to the operator without a stack trace. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads flags and environment into a checked configuration. */
export function readConfig(argv: string[], env: NodeJS.ProcessEnv): AppConfig | 'help' {
  // `pnpm start -- --port 9000` passes the `--` through.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const { values } = parseArgs({
    // A bare `--demo` (last, or before another flag) means yes.
    args: args.map((arg, i) =>
      arg === '--demo' && (args[i + 1] ?? '-').startsWith('-') ? '--demo=yes' : arg,
    ),
    options: {
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(SETTINGS.map(({ flag }) => [flag, { type: 'string' as const }])),
    },
    strict: true,
  }) as { values: Record<string, string | boolean | undefined> };
  if (values.help) return 'help';
  const get = (flag: (typeof SETTINGS)[number]['flag']): string | undefined => {
    const setting = SETTINGS.find((s) => s.flag === flag);
    const value = values[flag] ?? (setting ? env[setting.env] : undefined);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };

  const port = Number(get('port') ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got ${get('port')}`);
  }
  const mode = get('mode') ?? 'development';
  if (mode !== 'development' && mode !== 'production') {
    throw new ConfigError(`TWOFOLD_MODE must be development or production, got ${mode}`);
  }
  const host = get('host') ?? '127.0.0.1';
  if (mode === 'development' && !isLoopback(host) && get('dev-expose') !== 'yes') {
    throw new ConfigError(
      `development mode listens on loopback only, not ${host}: its outbox (GET /api/v1/dev/outbox) shows every verification token to whoever reaches it. Use --host 127.0.0.1, --mode production, or --dev-expose yes if you mean it`,
    );
  }
  const corsOrigins = list(get('cors-origins'));
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(
        `TWOFOLD_CORS_ORIGINS entries must look like https://app.example.com, got ${origin}`,
      );
    }
  }
  const trustProxy = Number(get('trust-proxy') ?? 0);
  if (!Number.isInteger(trustProxy) || trustProxy < 0 || trustProxy > 10) {
    throw new ConfigError(
      `TWOFOLD_TRUST_PROXY must be an integer from 0 to 10, got ${get('trust-proxy')}`,
    );
  }
  const userVerification = get('webauthn-user-verification') ?? 'preferred';
  if (userVerification !== 'required' && userVerification !== 'preferred') {
    throw new ConfigError(
      `TWOFOLD_WEBAUTHN_USER_VERIFICATION must be required or preferred, got ${userVerification}`,
    );
  }
  const aaguids = list(get('webauthn-aaguids')).map((aaguid) => aaguid.toLowerCase());
  for (const aaguid of aaguids) {
    if (!AAGUID.test(aaguid)) {
      throw new ConfigError(
        `TWOFOLD_WEBAUTHN_AAGUIDS entries must be UUIDs such as cb69481e-8ff7-4039-93ec-0a2729a154a8, got ${aaguid}`,
      );
    }
  }
  // A lower cost makes every register and login cheaper, and every stolen hash cheaper to crack:
  // down to 10 for tests and demos, to 15 in production (the start warns below 17). 20 (1 GiB
  // per hash) is as far as it makes sense.
  const scryptLogN = Number(get('scrypt-log-n') ?? RECOMMENDED_SCRYPT_LOG_N);
  const lowest = mode === 'production' ? PRODUCTION_MIN_SCRYPT_LOG_N : 10;
  if (!Number.isInteger(scryptLogN) || scryptLogN < lowest || scryptLogN > 20) {
    throw new ConfigError(
      `TWOFOLD_SCRYPT_LOG_N must be an integer from ${lowest} to 20 in ${mode}, got ${get('scrypt-log-n')}`,
    );
  }
  // The rp id and origins are checked where they are used: the server core refuses a bad one,
  // and passkeys.ts fills in the development defaults once the public URL is known.
  return {
    port,
    host,
    mode,
    dataDir: get('data-dir') ?? '.twofold',
    smtpUrl: get('smtp-url'),
    smtpFrom: get('smtp-from') ?? 'no-reply@localhost',
    secret: get('secret'),
    encryptionKey: get('encryption-key'),
    previousEncryptionKeys: list(get('previous-encryption-keys')),
    corsOrigins,
    publicUrl: get('public-url'),
    verifyUrl: get('verify-url'),
    trustProxy,
    databaseUrl: get('database-url'),
    rpId: get('rp-id'),
    rpName: get('rp-name') ?? 'Twofold',
    origins: list(get('origins')),
    webauthnUserVerification: userVerification,
    webauthnAaguids: [...new Set(aaguids)],
    totpIssuer: get('totp-issuer') ?? 'Twofold',
    scryptLogN,
    demo: yesOrNo('TWOFOLD_DEMO', get('demo')) ?? mode === 'development',
  };
}

/**
 * What a production start says when passwords are hashed below the recommended cost: the
 * trade-off the operator chose, in numbers.
 */
export function passwordCostWarning(
  config: Pick<AppConfig, 'mode' | 'scryptLogN'>,
): string | undefined {
  if (config.mode !== 'production' || config.scryptLogN >= RECOMMENDED_SCRYPT_LOG_N) {
    return undefined;
  }
  const factor = 2 ** (RECOMMENDED_SCRYPT_LOG_N - config.scryptLogN);
  return `passwords are hashed at scrypt N = 2^${config.scryptLogN}, below the recommended 2^${RECOMMENDED_SCRYPT_LOG_N}: a login costs ${factor}x less CPU, and so does each guess at a stolen password hash`;
}
