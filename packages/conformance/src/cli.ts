#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { Target } from './context.js';
import { formatResult, formatSummary, runConformance } from './runner.js';
import type { AuthenticatorFactory, WebAuthnTarget } from './webauthn-target.js';

const USAGE = `Usage: twofold-conformance --base-url <url> [--profile twofold|auth-framework] [--only <prefix>]... [--distinct-clients] [--json]
       [--rp-id <id> --origin <origin> [--webauthn-user-verification required|preferred] [--allowed-aaguid <uuid>] [--refused-aaguid <uuid>]]

Runs the Twofold contract suite against a server over HTTP and prints one line per check
(pass / FAIL with the reason / n/a), then "N passed, N failed, N not applicable".
--distinct-clients: the server believes X-Forwarded-For from the suite (a trusted proxy), so each
check gets its own client address. Without it every refused code counts against one address (50
per 15 minutes): the suite runs the cheapest checks first, and reports a check that meets the spent
budget as n/a, with when it renews.
--rp-id, --origin: the server's passkey relying party and one of its origins; with them the passkey
checks run, on the software authenticator of @twofold/mock/authenticator (installed beside the
suite). --webauthn-user-verification: what the server requires (default preferred);
--allowed-aaguid: an AAGUID its policy accepts (the authenticator claims it); --refused-aaguid:
one it refuses (enables the policy check).
Exits 1 when any check fails, 2 on bad arguments.`;

async function main(): Promise<number> {
  let values: {
    'base-url'?: string;
    profile?: string;
    only?: string[];
    json?: boolean;
    help?: boolean;
    'distinct-clients'?: boolean;
    'rp-id'?: string;
    origin?: string;
    'webauthn-user-verification'?: string;
    'allowed-aaguid'?: string;
    'refused-aaguid'?: string;
  };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
      options: {
        'base-url': { type: 'string' },
        profile: { type: 'string' },
        only: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        'distinct-clients': { type: 'boolean' },
        'rp-id': { type: 'string' },
        origin: { type: 'string' },
        'webauthn-user-verification': { type: 'string' },
        'allowed-aaguid': { type: 'string' },
        'refused-aaguid': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const baseUrl = values['base-url'];
  const profile = values.profile ?? 'twofold';
  if (
    baseUrl === undefined ||
    !/^https?:\/\//.test(baseUrl) ||
    (profile !== 'twofold' && profile !== 'auth-framework')
  ) {
    console.error(USAGE);
    return 2;
  }
  const webauthn = await webauthnTarget(values);
  if (webauthn === 'bad') {
    console.error(USAGE);
    return 2;
  }
  const target: Target = {
    baseUrl,
    profile,
    distinctClients: values['distinct-clients'] ?? false,
    ...(webauthn === undefined ? {} : { webauthn }),
  };
  const report = await runConformance(target, {
    ...(values.only ? { only: values.only } : {}),
    ...(values.json ? {} : { onResult: (r) => console.log(formatResult(r)) }),
  });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else console.log(formatSummary(report));
  return report.summary.failed > 0 ? 1 : 0;
}

/**
 * The passkey target from the flags: undefined without `--rp-id`/`--origin`, 'bad' when they
 * do not fit together. The software authenticator comes from `@twofold/mock/authenticator`
 * when it can be loaded; without it the passkey checks say so ("not applicable").
 */
async function webauthnTarget(values: {
  'rp-id'?: string;
  origin?: string;
  'webauthn-user-verification'?: string;
  'allowed-aaguid'?: string;
  'refused-aaguid'?: string;
}): Promise<WebAuthnTarget | undefined | 'bad'> {
  const rpId = values['rp-id'];
  const origin = values.origin;
  const userVerification = values['webauthn-user-verification'] ?? 'preferred';
  const passkeyFlags = [
    rpId,
    origin,
    values['webauthn-user-verification'],
    values['allowed-aaguid'],
    values['refused-aaguid'],
  ];
  if (passkeyFlags.every((flag) => flag === undefined)) return undefined;
  if (
    rpId === undefined ||
    origin === undefined ||
    !/^https?:\/\//.test(origin) ||
    (userVerification !== 'required' && userVerification !== 'preferred')
  ) {
    return 'bad';
  }
  const authenticator = await loadAuthenticator();
  return {
    rpId,
    origin,
    userVerification,
    ...(values['allowed-aaguid'] === undefined ? {} : { allowedAaguid: values['allowed-aaguid'] }),
    ...(values['refused-aaguid'] === undefined ? {} : { refusedAaguid: values['refused-aaguid'] }),
    ...(authenticator === undefined ? {} : { authenticator }),
  };
}

/**
 * `createSoftwareAuthenticator` of `@twofold/mock/authenticator`, an optional peer: the suite's
 * library takes the factory from its caller and imports no mock code.
 */
async function loadAuthenticator(): Promise<AuthenticatorFactory | undefined> {
  const specifier = '@twofold/mock/authenticator';
  try {
    const module: { createSoftwareAuthenticator?: AuthenticatorFactory } = await import(specifier);
    return module.createSoftwareAuthenticator;
  } catch {
    return undefined;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('twofold-conformance crashed:', error);
    process.exit(1);
  },
);
