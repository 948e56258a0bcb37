#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { formatResult, formatSummary, runConformance } from './runner.js';

const USAGE = `Usage: twofold-conformance --base-url <url> [--profile twofold|auth-framework] [--only <prefix>]... [--distinct-clients] [--json]

Runs the Twofold contract suite against a server over HTTP and prints one line per check
(pass / FAIL with the reason / n/a), then "N passed, N failed, N not applicable".
--distinct-clients: the server believes X-Forwarded-For from the suite (a trusted proxy), so each
check gets its own client address; without it, per-address attempt limits add up across checks
(run the suite against a server with a raised per-address limit, or expect RATE_LIMITED late on).
Exits 1 when any check fails, 2 on bad arguments.`;

async function main(): Promise<number> {
  let values: {
    'base-url'?: string;
    profile?: string;
    only?: string[];
    json?: boolean;
    help?: boolean;
    'distinct-clients'?: boolean;
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
  const report = await runConformance(
    { baseUrl, profile, distinctClients: values['distinct-clients'] ?? false },
    {
      ...(values.only ? { only: values.only } : {}),
      ...(values.json ? {} : { onResult: (r) => console.log(formatResult(r)) }),
    },
  );
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else console.log(formatSummary(report));
  return report.summary.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('twofold-conformance crashed:', error);
    process.exit(1);
  },
);
