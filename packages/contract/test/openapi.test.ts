import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, openApiText } from '../scripts/openapi-document.js';
import { API_PREFIX, ERROR_CODES, ROUTE_IDS, ROUTES } from '../src/index.js';

describe('OpenAPI document', () => {
  it('is committed up to date (run `pnpm --filter @twofold/contract openapi` after changing the contract)', () => {
    const committed = readFileSync(new URL('../openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(openApiText());
  });

  it('has one operation per route, with its method, and every error code', () => {
    const document = buildOpenApiDocument() as {
      paths: Record<string, Record<string, { operationId: string }>>;
      components: { schemas: { ErrorCode: { enum: string[] } } };
    };
    for (const id of ROUTE_IDS) {
      const route = ROUTES[id];
      expect(
        document.paths[`${API_PREFIX}${route.path}`]?.[route.method.toLowerCase()]?.operationId,
      ).toBe(id);
    }
    expect(document.components.schemas.ErrorCode.enum).toEqual([...ERROR_CODES]);
  });
});
