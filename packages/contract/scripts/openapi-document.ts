// Builds the OpenAPI 3.1 document from the route table and schemas of src/ (the one source).
import { toJsonSchema } from '@valibot/to-json-schema';
import type { GenericSchema } from 'valibot';
import {
  API_PREFIX,
  ERROR_CODES,
  ERROR_STATUS,
  FRAMEWORK_ERRORS,
  ROUTE_DOCS,
  ROUTE_IDS,
  ROUTES,
  type RouteDefinition,
  type RouteDocs,
  schemas,
} from '../src/index.js';

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: GenericSchema): JsonObject {
  const { $schema: _, ...rest } = toJsonSchema(schema, { errorMode: 'throw' }) as JsonObject;
  return rest;
}

const errorEnvelope = {
  type: 'object',
  required: ['success', 'error'],
  properties: {
    success: { const: false },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { $ref: '#/components/schemas/ErrorCode' },
        message: { type: 'string' },
        details: {},
      },
    },
  },
};

function successEnvelope(route: RouteDocs): JsonObject {
  if (route.response === undefined) {
    return {
      type: 'object',
      required: ['success', 'message'],
      properties: { success: { const: true }, message: { const: route.successMessage } },
    };
  }
  return {
    type: 'object',
    required: ['success', 'data'],
    properties: { success: { const: true }, data: jsonSchema(route.response) },
  };
}

/** The query parameter of the outbox, and the `{name}` segments of a path. */
function parameters(route: RouteDefinition): JsonObject {
  const list: JsonObject[] = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.path === '/dev/outbox') {
    list.push({ name: 'to', in: 'query', required: true, schema: { type: 'string' } });
  }
  return list.length === 0 ? {} : { parameters: list };
}

function operation(id: string, route: RouteDefinition, docs: RouteDocs): JsonObject {
  const codes = [...new Set([...docs.errors, ...FRAMEWORK_ERRORS])];
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: JsonObject = {
    200: {
      description: 'Success',
      content: { 'application/json': { schema: successEnvelope(docs) } },
    },
  };
  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: statusCodes.join(', '),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
      ...(status === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' } } } } : {}),
    };
  }
  return {
    operationId: id,
    summary: docs.summary,
    ...(route.auth === 'public' ? { security: [] } : {}),
    ...(route.auth === 'optional' ? { security: [{}, { bearer: [] }] } : {}),
    ...(docs.request === undefined
      ? {}
      : {
          requestBody: {
            required: route.auth !== 'optional',
            content: { 'application/json': { schema: jsonSchema(docs.request) } },
          },
        }),
    ...(docs.optionalRequest === undefined
      ? {}
      : {
          requestBody: {
            required: false,
            content: { 'application/json': { schema: jsonSchema(docs.optionalRequest) } },
          },
        }),
    ...parameters(route),
    responses,
  };
}

/** The OpenAPI 3.1 document of the contract. */
export function buildOpenApiDocument(): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const id of ROUTE_IDS) {
    const route: RouteDefinition = ROUTES[id];
    const path = `${API_PREFIX}${route.path}`;
    paths[path] = {
      ...paths[path],
      [route.method.toLowerCase()]: operation(id, route, ROUTE_DOCS[id]),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Twofold wire contract',
      version: '1.0.0',
      description:
        'MFA (TOTP, backup codes, passkeys) and email verification, wire-compatible with auth-framework 0.5. Every response is an envelope; classify by error.code.',
    },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        ErrorCode: { type: 'string', enum: [...ERROR_CODES] },
        ErrorEnvelope: errorEnvelope,
        MfaRequiredDetails: jsonSchema(schemas.MfaRequiredDetails),
        RateLimitedDetails: jsonSchema(schemas.RateLimitedDetails),
        ChallengeRefusedDetails: jsonSchema(schemas.ChallengeRefusedDetails),
      },
    },
  };
}

/** The document as committed: pretty JSON with a final newline. */
export function openApiText(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
