import {
  describeSdkChallengeRules,
  describeSdkFlows,
  inProcessServer,
  type SdkTarget,
  testClock,
} from '@twofold/testing';
import { createClient } from '../src/index.js';

// The SDK's flow suite against the reference server in-process, on a clock that starts at the
// real time (the SDK reads Date for token expiry) and moves only when a test says so.
function inProcessTarget(): SdkTarget {
  const t = inProcessServer({
    clock: testClock({ start: Date.now() }),
    clientAddress: '192.0.2.10',
  });
  return {
    client: (extra = {}) =>
      createClient({ baseUrl: t.baseUrl, fetch: t.fetch, retry: 0, ...extra }),
    code: t.codeFor,
    clock: t.clock,
    requests: t.requests,
  };
}

describeSdkFlows('the reference server (in-process)', inProcessTarget);
describeSdkChallengeRules('the reference server (in-process)', inProcessTarget);
