/**
 * A bad option of `createTwofoldServer`, thrown at creation (never on a request), or by the
 * server's `ready` when the store was first used with other keys. `option` names the option,
 * so a command line or a config loader can point at its own setting.
 *
 * @example
 * ```ts
 * import { createTwofoldServer, TwofoldConfigError } from '@twofold/server';
 * try {
 *   createTwofoldServer({ mode: 'production', secret: 'short', encryptionKey: 'short' });
 * } catch (error) {
 *   error instanceof TwofoldConfigError; // true
 *   (error as TwofoldConfigError).option; // 'secret'
 * }
 * ```
 */
export class TwofoldConfigError extends Error {
  override name = 'TwofoldConfigError';
  /** The option at fault, e.g. `'secret'` or `'limits.attemptsPerUser'`. */
  readonly option: string;
  /** What is wrong with it, without the option's name (`'must be at least 32 bytes …'`). */
  readonly problem: string;

  constructor(option: string, problem: string) {
    super(`${option} ${problem}`);
    this.option = option;
    this.problem = problem;
  }
}
