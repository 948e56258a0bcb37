import { type RequestBodies, validateRequest } from '@twofold/contract';
import { ApiError } from '../http/api-error.js';
import type { RequestContext } from './context.js';

/** The request body checked against the route's contract, or `VALIDATION_ERROR`. */
export function validated<Id extends keyof RequestBodies>(
  route: Id,
  context: RequestContext,
): RequestBodies[Id] {
  const result = validateRequest(route, context.body);
  if (!result.ok) throw new ApiError('VALIDATION_ERROR', result.message);
  return result.value;
}
