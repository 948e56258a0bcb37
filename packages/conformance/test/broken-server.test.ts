import { describe, expect, it } from 'vitest';
import { runConformance } from '../src/index.js';
import { brokenTarget } from './fixtures/broken-server.js';
import { inProcessTarget } from './targets.js';

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
});
