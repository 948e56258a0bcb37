export type { MockClock } from './clock.js';
export type { ForcedFailure, NetworkCondition, RouteTarget } from './controls.js';
export {
  createTwofoldHandlers,
  type SentEmail,
  type TwofoldMock,
  type TwofoldMockOptions,
} from './create-handlers.js';
