// Ballast's OpenAPI 3 document, built from the endpoint registry (the controllers' own parameter
// tables) and the shapes Ballast answers with. Pure: no I/O, so a test can build and check it.
import type { ParamSpec } from '../query-params.js';
import { CRUISE_CONTROL_ENDPOINTS, ENDPOINTS, type EndpointFacts } from '../endpoints.js';
import { PARAMETER_DESCRIPTIONS } from './parameter-descriptions.js';

export type JsonObject = Record<string, unknown>;

/** The swagger-ui-dist files GET /docs/{file} serves, unchanged. */
export const SWAGGER_UI_ASSETS = [
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-32x32.png',
  'favicon-16x16.png',
] as const;

/** Ballast's own script that starts Swagger UI on /openapi.json (a file, not inline, so a strict CSP works). */
export const DOCS_INITIALIZER = 'ballast-initializer.js';

/** Every file GET /docs/{file} serves. */
export const DOCS_FILES: readonly string[] = [...SWAGGER_UI_ASSETS, DOCS_INITIALIZER];

const CRUISE_CONTROL_SPEC_URL =
  'https://github.com/linkedin/cruise-control/tree/main/cruise-control/src/main/resources/yaml';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The JSON Schema (OpenAPI 3.0 flavour) of what a ParamSpec accepts. */
export function parameterSchema(spec: ParamSpec): JsonObject {
  switch (spec.kind) {
    case 'boolean':
      return { type: 'boolean', default: spec.default };
    case 'string':
      return { type: 'string' };
    case 'enum':
      return { type: 'string', enum: [...spec.values] };
    case 'enumList':
      return { type: 'array', items: { type: 'string', enum: [...spec.values] }, minItems: 1 };
    case 'integer':
      return { type: 'integer', format: integerFormat(spec), minimum: spec.min, maximum: spec.max };
    case 'number':
      return { type: 'number', minimum: spec.min, maximum: spec.max };
    case 'integerList':
      return {
        type: 'array',
        items: { type: 'integer', format: integerFormat(spec), minimum: spec.min, maximum: spec.max },
        minItems: 1,
      };
  }
}

function integerFormat(spec: { min: number; max: number }): 'int32' | 'int64' {
  return spec.min >= -2_147_483_648 && spec.max <= 2_147_483_647 ? 'int32' : 'int64';
}

/** An OpenAPI query parameter for one table row; lists are comma-separated (form, not exploded). */
export function queryParameter(name: string, spec: ParamSpec, doc: EndpointFacts): JsonObject {
  const description = doc.descriptions?.[name] ?? PARAMETER_DESCRIPTIONS[name];
  const list = spec.kind === 'enumList' || spec.kind === 'integerList';
  const caseNote = spec.kind === 'enum' || spec.kind === 'enumList' ? ' Values are case-insensitive.' : '';
  return {
    name,
    in: 'query',
    required: doc.required?.includes(name) ?? false,
    description: `${description ?? ''}${caseNote}`,
    schema: parameterSchema(spec),
    ...(list ? { style: 'form', explode: false } : {}),
  };
}

const USER_TASK_ID_HEADER = 'User-Task-ID';

function cruiseControlOperation(name: string, doc: EndpointFacts, isAsync: boolean): JsonObject {
  const parameters = Object.entries(doc.params).map(([param, spec]) => queryParameter(param, spec, doc));
  const taskHeader = {
    [USER_TASK_ID_HEADER]: { description: 'The user task that answers this request.', schema: { type: 'string' } },
  };
  if (isAsync) {
    parameters.push({
      name: USER_TASK_ID_HEADER,
      in: 'header',
      required: false,
      description:
        'Poll a user task: repeat the request with the id a 202 answer gave, until it answers 200 (or an error).',
      schema: { type: 'string', format: 'uuid' },
    });
  }
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: ref('ErrorResponse') }, 'text/plain': { schema: { type: 'string' } } },
  });
  return {
    operationId: camelCase(name),
    tags: [doc.method === 'GET' ? 'Cruise Control: monitoring' : 'Cruise Control: operations'],
    summary: doc.summary,
    description:
      `Cruise Control's \`${name}\` endpoint. With json=true the answer has the shape of Cruise Control's ` +
      `\`${doc.responseSchema}\` schema (${CRUISE_CONTROL_SPEC_URL}/responses/${lowerFirst(doc.responseSchema)}.yaml), ` +
      'plus any fields Ballast adds; otherwise plain text. Parameter names are case-insensitive; unknown, ' +
      'repeated or malformed parameters are refused with 400 naming the parameter.' +
      (isAsync ? ' A slow answer comes as 202 with the progress and a User-Task-ID header to poll with.' : ''),
    parameters,
    responses: {
      '200': {
        description: `The answer (Cruise Control's ${doc.responseSchema}).`,
        ...(isAsync ? { headers: taskHeader } : {}),
        content: {
          'application/json': { schema: ref(doc.responseSchema) },
          'text/plain': { schema: { type: 'string' } },
        },
      },
      ...(isAsync
        ? {
            '202': {
              description: 'Still running: the progress so far. Repeat the request with the User-Task-ID header.',
              headers: taskHeader,
              content: {
                'application/json': { schema: ref('ProgressResult') },
                'text/plain': { schema: { type: 'string' } },
              },
            },
          }
        : {}),
      '400': error('A parameter is unknown, repeated, malformed or out of range; `parameter` names it.'),
      '401': error('Security is enabled and the request carries no valid credentials.'),
      '403': error("The caller's role does not allow this endpoint."),
      default: error("Any other error, in Cruise Control's error shape plus Ballast's `code`."),
    },
  };
}

function ballastOperation(operationId: string, summary: string, content: JsonObject, extra: JsonObject = {}) {
  return {
    get: { operationId, tags: ['Ballast'], summary, responses: { '200': { description: summary, content } }, ...extra },
  };
}

function ballastPaths(): JsonObject {
  const json = { 'application/json': { schema: { type: 'object' } } };
  return {
    '/health': ballastOperation('health', 'Liveness: the process serves HTTP.', json),
    '/ready': {
      get: {
        operationId: 'ready',
        tags: ['Ballast'],
        summary: 'Readiness: whether Kafka and Redis answer.',
        responses: {
          '200': { description: 'Ready.', content: json },
          '503': { description: 'Not ready, with the failing check.', content: json },
        },
      },
    },
    '/metrics': ballastOperation('metrics', 'Prometheus metrics.', { 'text/plain': { schema: { type: 'string' } } }),
    '/openapi.json': ballastOperation('openapi', 'This document.', json),
    '/docs': ballastOperation('docs', 'A browsable view of this document (Swagger UI).', {
      'text/html': { schema: { type: 'string' } },
    }),
    '/docs/{file}': ballastOperation(
      'docsAsset',
      "Swagger UI's static files, served from the installed swagger-ui-dist package.",
      { '*/*': { schema: { type: 'string', format: 'binary' } } },
      {
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string', enum: [...DOCS_FILES] } }],
      },
    ),
  };
}

function components(responseSchemas: string[]): JsonObject {
  const schemas: JsonObject = {
    ErrorResponse: {
      type: 'object',
      description: "Cruise Control's ErrorResponse with Ballast's additions `code` and `parameter`.",
      required: ['version', 'errorMessage', 'stackTrace'],
      properties: {
        version: { type: 'integer', format: 'int32' },
        errorMessage: { type: 'string' },
        stackTrace: { type: 'string', description: 'The chain of error messages (never file paths).' },
        code: { type: 'string', description: "Ballast's stable error code, e.g. INVALID_PARAMETER." },
        parameter: { type: 'string', description: 'The offending parameter, when one is to blame.' },
      },
    },
    ProgressResult: {
      type: 'object',
      description: "Cruise Control's ProgressResult: the steps of a user task so far.",
      required: ['version', 'progress'],
      properties: {
        version: { type: 'integer', format: 'int32' },
        progress: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              operation: { type: 'string' },
              operationProgress: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    step: { type: 'string' },
                    description: { type: 'string' },
                    'time-in-ms': { type: 'integer', format: 'int64' },
                    completionPercentage: { type: 'number' },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
  for (const name of responseSchemas) {
    schemas[name] = {
      type: 'object',
      description: `Cruise Control's ${name}; Ballast answers in its shape and may add fields.`,
      externalDocs: {
        description: "Cruise Control's schema",
        url: `${CRUISE_CONTROL_SPEC_URL}/responses/${lowerFirst(name)}.yaml`,
      },
      required: ['version'],
      properties: { version: { type: 'integer', format: 'int32' } },
      additionalProperties: true,
    };
  }
  return {
    schemas,
    securitySchemes: {
      basicAuth: { type: 'http', scheme: 'basic', description: 'HTTP Basic, when security is enabled.' },
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'A JWT, when security is enabled.',
      },
    },
  };
}

/** The whole document; `version` is Ballast's release. */
export function buildOpenApiDocument(options: { version: string }): JsonObject {
  const paths: JsonObject = {};
  const responseSchemas = new Set<string>();
  for (const name of CRUISE_CONTROL_ENDPOINTS) {
    const doc: EndpointFacts = ENDPOINTS[name];
    const async = doc.async;
    paths[`/kafkacruisecontrol/${name}`] = { [doc.method.toLowerCase()]: cruiseControlOperation(name, doc, async) };
    responseSchemas.add(doc.responseSchema);
  }
  Object.assign(paths, ballastPaths());
  return {
    openapi: '3.0.3',
    info: {
      title: 'Ballast',
      version: options.version,
      description:
        "Ballast, an autonomous balancer for Apache Kafka, answers Cruise Control's REST API under " +
        '/kafkacruisecontrol/ and adds /health, /ready and /metrics. Generated from the parameter tables ' +
        'the controllers validate with.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    externalDocs: {
      description: "Cruise Control's OpenAPI spec (BSD-2-Clause, LinkedIn)",
      url: CRUISE_CONTROL_SPEC_URL,
    },
    tags: [
      { name: 'Cruise Control: monitoring', description: 'GET endpoints of the Cruise Control API.' },
      { name: 'Cruise Control: operations', description: 'POST endpoints of the Cruise Control API.' },
      { name: 'Ballast', description: "Ballast's own endpoints." },
    ],
    // Optional: with security off, anonymous calls ({}) are allowed.
    security: [{}, { basicAuth: [] }, { bearerAuth: [] }],
    paths,
    components: components([...responseSchemas].sort()),
  };
}

function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
