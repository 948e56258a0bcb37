import { inProcessServer, testClock } from '@twofold/testing';
import { describe, expect, it } from 'vitest';
import { runConformance, type Target } from '../src/index.js';
import { serverWebAuthn, webauthnTarget } from './targets.js';

// Issue 12 item 11: against a live server every check's refused codes count against one
// client address (50 per 15 minutes). The suite must never fail a check because of that limit:
// it runs the cheap checks first and reports a check that meets the spent budget as not
// applicable, saying why and when it renews.

const ADDRESS = '198.51.100.7';

function sameAddressServer() {
  return inProcessServer({
    clock: testClock({ realTime: true }),
    clientAddress: ADDRESS,
    baseUrl: 'http://one-address.twofold.test',
    webauthn: serverWebAuthn,
  });
}

const budgetReasons = (report: Awaited<ReturnType<typeof runConformance>>) =>
  report.results.filter((result) => result.reason?.includes('failed-attempt budget'));

describe('the suite against one client address (a live server, no trusted proxy)', () => {
  it('passes a first run, and reports the spent budget as not applicable in the next runs, never as a failure', async () => {
    const server = sameAddressServer();
    const target: Target = { baseUrl: server.baseUrl, fetch: server.fetch };
    const first = await runConformance(target);
    expect(first.summary.failed, first.results.map((r) => r.reason).join('\n')).toBe(0);
    expect(budgetReasons(first)).toEqual([]);
    const address = await server.store.get<{ events: number[] }>(`attempts:client:${ADDRESS}`);
    expect(address?.value.events.length).toBeLessThan(50);

    for (const run of [2, 3]) {
      const again = await runConformance(target);
      expect(again.summary.failed, `run ${run}`).toBe(0);
      const spent = budgetReasons(again);
      expect(spent.length, `run ${run}`).toBeGreaterThan(0);
      for (const result of spent) {
        expect(result.outcome).toBe('not-applicable');
        expect(result.reason).toMatch(
          /RATE_LIMITED — this address's failed-attempt budget \(50 per 15 minutes, spec §3 rule 3\) is spent .* it renews in \d+ s \(Retry-After\)\. Run again then, or with --distinct-clients/,
        );
      }
      // The cheap checks ran first: everything that spends no refused code still passes.
      expect(again.summary.passed).toBeGreaterThan(30);
    }
  }, 120_000);

  it('with the passkey checks too (more than one address allows in one run), fails nothing', async () => {
    const server = sameAddressServer();
    const report = await runConformance({
      baseUrl: server.baseUrl,
      fetch: server.fetch,
      webauthn: webauthnTarget,
    });
    expect(report.summary.failed, report.results.map((r) => r.reason).join('\n')).toBe(0);
    // Cheapest first: what did not fit is the most expensive end of the order.
    const spent = budgetReasons(report).map((result) => result.id);
    expect(spent.length).toBeLessThan(5);
  }, 120_000);

  it('still fails an unexpected RATE_LIMITED when every check has its own address', async () => {
    const server = inProcessServer({
      clock: testClock({ realTime: true }),
      baseUrl: 'http://strict.twofold.test',
      trustProxy: 1,
      // A server that limits after one wrong code per user is wrong, not out of budget.
      limits: { attemptsPerUser: 1 },
    });
    const report = await runConformance(
      { baseUrl: server.baseUrl, fetch: server.fetch, distinctClients: true },
      { only: ['limits.attempts.success-clears-count'] },
    );
    expect(report.results[0]?.outcome).toBe('fail');
    expect(report.results[0]?.reason).toContain('RATE_LIMITED');
  });
});
