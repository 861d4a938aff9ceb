import Type, { type Static } from 'typebox'
import { isExpression } from '../expressions.ts'
import type { ConfigIssue, NodeKindDescriptor } from '../node-kind.ts'
import { Expression, JsonValue, StringMap } from '../schema-helpers.ts'

/** Largest response body `http.request` will read. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024

/** `http.request` settings. */
export const httpRequestConfigSchema = Type.Object(
  {
    url: Expression({ minLength: 1, title: 'URL', description: 'An http(s) URL; may contain {{ }} expressions.' }),
    method: Type.Optional(
      Type.Enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'], { title: 'Method', default: 'GET' }),
    ),
    headers: Type.Optional(StringMap(Expression(), { title: 'Headers', description: 'Values may contain {{ }} expressions.' })),
    query: Type.Optional(
      StringMap(Expression(), { title: 'Query parameters', description: 'Appended to the URL; values may contain {{ }} expressions.' }),
    ),
    body: Type.Optional(
      JsonValue({
        title: 'Body',
        description:
          'A template string (sent as text, or as JSON when it is a single {{ }} expression yielding a non-string) or a JSON value sent as-is.',
      }),
    ),
    timeoutMs: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 60_000, default: 10_000, title: 'Timeout (ms)', description: 'Per attempt.' }),
    ),
    maxResponseBytes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_RESPONSE_BYTES,
        default: 1024 * 1024,
        title: 'Maximum response size (bytes)',
        description: 'Larger responses fail the attempt.',
      }),
    ),
    expectStatus: Type.Optional(
      Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), {
        maxItems: 50,
        uniqueItems: true,
        title: 'Expected status codes',
        description: 'Other statuses fail the attempt. When empty, any 2xx is accepted.',
      }),
    ),
    responseType: Type.Optional(
      Type.Enum(['json', 'text'], { title: 'Response type', description: 'How to read the response body.', default: 'json' }),
    ),
  },
  { additionalProperties: false, title: 'HTTP request' },
)
/** @see httpRequestConfigSchema */
export type HttpRequestConfig = Static<typeof httpRequestConfigSchema>

function checkHttpRequest(config: HttpRequestConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  if (!isExpression(config.url) && !/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(config.url)) {
    issues.push({ field: 'config.url', code: 'invalid_config', message: 'must be an http:// or https:// URL or contain an expression' })
  }
  const method = config.method ?? 'GET'
  if ((method === 'GET' || method === 'HEAD') && config.body !== undefined) {
    issues.push({ field: 'config.body', code: 'invalid_config', message: `a ${method} request cannot have a body` })
  }
  return issues
}

/** Calls an HTTP endpoint from an activity. */
export const httpRequestKind: NodeKindDescriptor<HttpRequestConfig> = {
  kind: 'http.request',
  version: 1,
  label: 'HTTP request',
  description: 'Sends an HTTP request and outputs the status, headers and body of the response.',
  category: 'action',
  componentType: 'activity',
  runsIn: 'activity',
  configSchema: httpRequestConfigSchema,
  outputSchema: Type.Object({
    status: Type.Integer(),
    headers: Type.Record(Type.String(), Type.String()),
    body: Type.Unknown({ description: 'Parsed JSON or text, per `responseType`.' }),
  }),
  inputs: 1,
  outputs: [{ id: 'out', label: 'Response' }],
  expressionFields: ['url', 'headers.*', 'query.*', 'body'],
  icon: 'globe',
  checkConfig: checkHttpRequest,
}
