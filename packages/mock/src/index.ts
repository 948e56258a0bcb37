export type { MockClock } from './clock.js';
export type { ForcedFailure, NetworkCondition, RouteTarget } from './controls.js';
export {
  type CredentialMaker,
  createTwofoldMock,
  type TwofoldMock,
  type TwofoldMockOptions,
} from './create-twofold-mock.js';
