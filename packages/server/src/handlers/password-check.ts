import type { UserRecord } from '../domain/users.js';
import type { Services } from '../services.js';

/**
 * Whether `password` is `user`'s: counted against the guess limits before the hash runs
 * (`RATE_LIMITED` past them, spec §6 rule 4). For an unknown user (`undefined`) a decoy hash is
 * checked instead and counted under the submitted name, so neither time nor limits tell.
 */
export async function passwordMatches(
  services: Services,
  client: string | undefined,
  user: UserRecord | undefined,
  submittedName: string,
  password: string,
): Promise<boolean> {
  const { passwords, passwordHasher, decoyPasswordHash } = services;
  const check = await passwords.begin(user?.id ?? `name:${submittedName.toLowerCase()}`, client);
  const stored = user?.passwordHash ?? (await decoyPasswordHash);
  const matches = (await passwordHasher.verify(password, stored)) && user !== undefined;
  if (matches) await check.matched();
  return matches;
}
