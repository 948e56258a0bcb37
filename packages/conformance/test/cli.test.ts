import { fileURLToPath } from 'node:url';
import { serve } from '@twofold/server/node';
import { runTypeScript } from '@twofold/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../src/index.js';
import { brokenTarget } from './fixtures/broken-server.js';
import { inProcessTarget, PASSKEY_ORIGIN, REFUSED_AAGUID } from './targets.js';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const CLOCK_CHECKS = CHECKS.filter((check) => /expires|window-ends/.test(check.id));
/** The in-process server's relying party (see targets.ts), as flags. */
const PASSKEY_FLAGS = [
  '--rp-id',
  'localhost',
  '--origin',
  PASSKEY_ORIGIN,
  '--webauthn-user-verification',
  'required',
  '--refused-aaguid',
  REFUSED_AAGUID,
];

async function runCli(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = runTypeScript(cli, args);
  try {
    const code = await child.exit(100_000);
    return { code, ...child.output() };
  } finally {
    child.signal('SIGKILL'); // only if it outlived the wait
  }
}

const healthy = inProcessTarget();
const broken = brokenTarget();
let healthyUrl: string;
let brokenUrl: string;
const running: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  const a = await serve(
    { fetch: (request) => healthy.fetch(request) },
    { port: 0, handleSignals: false },
  );
  const b = await serve(
    { fetch: (request) => (broken.fetch ?? fetch)(request) },
    { port: 0, handleSignals: false },
  );
  running.push(a, b);
  healthyUrl = a.url;
  brokenUrl = b.url;
});
afterAll(async () => {
  for (const server of running) await server.close();
});

describe('twofold-conformance CLI', () => {
  it('prints one line per check and the summary, and exits 0 when nothing fails', async () => {
    const { code, stdout } = await runCli([
      '--base-url',
      healthyUrl,
      '--distinct-clients',
      ...PASSKEY_FLAGS,
    ]);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(CHECKS.length + 1);
    const clock = CLOCK_CHECKS.length;
    expect(lines.at(-1)).toBe(`${CHECKS.length - clock} passed, 0 failed, ${clock} not applicable`);
    expect(
      lines.filter((line) => line.startsWith('n/a ')).every((line) => line.includes('clock')),
    ).toBe(true);
    expect(code).toBe(0);
  }, 120_000);

  it('exits 1 and names the failing checks with their reasons', async () => {
    const { code, stdout } = await runCli([
      '--base-url',
      brokenUrl,
      '--distinct-clients',
      '--only',
      'mfa.verify.replay',
      '--only',
      'envelope.omits',
    ]);
    expect(stdout).toMatch(
      /^FAIL {2}mfa\.verify\.replay-rejected {2}\(§3 rule 1\) — .*MFA_INVALID_CODE/m,
    );
    expect(stdout).toMatch(/^FAIL {2}envelope\.omits-absent-fields .* is null/m);
    expect(stdout.trim().split('\n').at(-1)).toBe('0 passed, 2 failed, 0 not applicable');
    expect(code).toBe(1);
  }, 120_000);

  it('writes the report as JSON with --json, and marks Twofold-only rules under the auth-framework profile', async () => {
    const { code, stdout } = await runCli([
      '--base-url',
      healthyUrl,
      '--profile',
      'auth-framework',
      '--only',
      'mfa.setup',
      '--json',
    ]);
    const report = JSON.parse(stdout);
    expect(report.profile).toBe('auth-framework');
    expect(report.results.map((r: { id: string; outcome: string }) => [r.id, r.outcome])).toEqual([
      ['mfa.setup.success-shape', 'pass'],
      ['mfa.setup.refused-while-enabled', 'not-applicable'],
      ['mfa.setup.first-enrolment-needs-password', 'not-applicable'],
    ]);
    expect(code).toBe(0);
  }, 60_000);

  it('reports the passkey checks as not applicable without --rp-id and --origin', async () => {
    const { code, stdout } = await runCli(['--base-url', healthyUrl, '--only', 'webauthn.']);
    const lines = stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^n\/a .*--rp-id/);
    expect(code).toBe(0);
  }, 60_000);

  it('refuses bad arguments with the usage and exit code 2', async () => {
    const { code, stderr } = await runCli(['--profile', 'twofold']);
    expect(stderr).toContain('Usage: twofold-conformance');
    expect(code).toBe(2);
    const half = await runCli(['--base-url', healthyUrl, '--rp-id', 'localhost']);
    expect(half.stderr).toContain('--origin <origin>');
    expect(half.code).toBe(2);
  }, 60_000);
});
