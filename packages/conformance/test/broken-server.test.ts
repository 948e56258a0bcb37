import { describe, expect, it } from 'vitest';
import { runConformance } from '../src/index.js';
import { brokenTarget } from './fixtures/broken-server.js';
import { inProcessTarget, neighbourOfPasskeyOrigin, serverWebAuthn } from './targets.js';

describe('the suite catches what it claims to catch', () => {
  it('fails the named checks against a server that replays TOTP codes and writes null members', async () => {
    const report = await runConformance(brokenTarget());
    const failed = new Map(
      report.results.filter((r) => r.outcome === 'fail').map((r) => [r.id, r.reason ?? '']),
    );
    expect(failed.get('envelope.omits-absent-fields')).toMatch(/is null/);
    expect(failed.get('mfa.verify.replay-rejected')).toMatch(/expected error MFA_INVALID_CODE/);
    expect(failed.get('mfa.login.replay-rejected')).toMatch(/expected error MFA_INVALID_CODE/);
    expect(failed.get('concurrency.totp.single-use-under-50')).toMatch(
      /of 50 concurrent uses of one TOTP code succeeded/,
    );
    // What the broken server does right is still reported as passing.
    const passed = report.results.filter((r) => r.outcome === 'pass').map((r) => r.id);
    expect(passed).toContain('mfa.backup-code.consumed-once');
    expect(passed).toContain('login.challenge.bound-to-user');
  }, 120_000);

  it('passes the same checks against the healthy server the broken one wraps', async () => {
    const report = await runConformance(inProcessTarget(), {
      only: [
        'envelope.omits-absent-fields',
        'mfa.verify.replay-rejected',
        'mfa.login.replay-rejected',
      ],
    });
    expect(report.summary).toEqual({ passed: 3, failed: 0, notApplicable: 0 });
  });

  it('fails the passkey checks against a lax relying party the suite is told is strict', async () => {
    // Accepts a second origin, does not require user verification and has no policy, while
    // the suite is told (targets.ts) that it requires user verification and refuses an AAGUID.
    const { policy: _, ...lax } = serverWebAuthn;
    const target = inProcessTarget({
      webauthn: {
        ...lax,
        origins: [...serverWebAuthn.origins, neighbourOfPasskeyOrigin],
        userVerification: 'preferred',
      },
    });
    const report = await runConformance(target, { only: ['webauthn.register.'] });
    const failed = new Map(
      report.results.filter((r) => r.outcome === 'fail').map((r) => [r.id, r.reason ?? '']),
    );
    expect([...failed.keys()].sort()).toEqual([
      'webauthn.register.policy-refusal',
      'webauthn.register.user-verification-required',
      'webauthn.register.wrong-origin-refused',
    ]);
    expect(failed.get('webauthn.register.wrong-origin-refused')).toContain(
      `a response made on ${neighbourOfPasskeyOrigin}: expected error WEBAUTHN_VERIFICATION_FAILED, got 200`,
    );
    expect(failed.get('webauthn.register.policy-refusal')).toMatch(
      /expected error WEBAUTHN_NOT_ALLOWED/,
    );
  });
});
