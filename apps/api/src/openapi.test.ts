import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { createTestApp, type TestApp } from './test/helpers.ts';

type Operation = OpenAPIV3_1.OperationObject;

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenAPIV3_1.Document;
  beforeAll(async () => {
    t = await createTestApp('openapi');
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(() => t.close());

  /** The app's routes that belong in the document (not the docs UI itself, not HEAD twins). */
  const documented = () => t.app.registeredRoutes
    .flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((method) => ({ method: method.toLowerCase(), url: r.url, schema: r.schema as Record<string, unknown> | undefined })))
    .filter((r) => r.method !== 'head' && r.schema?.['hide'] !== true && !r.url.startsWith('/docs'));

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('documents every registered route with its request and response schemas', () => {
    const routes = documented();
    expect(routes.length).toBeGreaterThan(40);
    for (const route of routes) {
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const op = (doc.paths?.[path] as Record<string, Operation> | undefined)?.[route.method];
      const where = `${route.method.toUpperCase()} ${route.url}`;
      expect(op, where).toBeDefined();
      expect(route.schema?.['response'], `${where} declares response schemas`).toBeDefined();

      // Request: every path parameter, the query string and the body are described.
      const params = (op!.parameters ?? []) as OpenAPIV3_1.ParameterObject[];
      for (const name of [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1])) {
        expect(params.find((p) => p.in === 'path' && p.name === name)?.schema, `${where} path parameter ${name}`).toBeDefined();
      }
      if (route.schema?.['querystring']) expect(params.some((p) => p.in === 'query'), `${where} query`).toBe(true);
      if (route.schema?.['body']) {
        const body = op!.requestBody as OpenAPIV3_1.RequestBodyObject | undefined;
        expect(body?.content['application/json']?.schema, `${where} request body`).toBeDefined();
        const raw = route.schema['body'] as { type?: string; additionalProperties?: unknown };
        if (raw.type === 'object') expect(raw.additionalProperties, `${where} rejects unknown body fields`).toBe(false);
      }

      // Responses: a success with its schema (or an empty 204) and the problem+json errors.
      const responses = op!.responses as Record<string, OpenAPIV3_1.ResponseObject>;
      const success = Object.entries(responses).filter(([code]) => /^2/.test(code));
      expect(success.length, `${where} success response`).toBeGreaterThan(0);
      for (const [code, response] of success) {
        // JSON, or another media type with its schema (the project export is application/zip).
        if (code !== '204') expect(Object.values(response.content ?? {}).find((c) => c.schema)?.schema, `${where} ${code} schema`).toBeDefined();
      }
      expect(responses['4XX']?.content?.['application/problem+json']?.schema, `${where} 4XX problem`).toBeDefined();
    }
  });

  it('describes workflow definitions once, as a component, and links to it', () => {
    const schemas = doc.components?.schemas ?? {};
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['WorkflowDefinition', 'WorkflowInputSchema', 'WorkflowJsonSchema', 'Problem']));
    const def = schemas['WorkflowDefinition'] as { properties: { nodes: { maxItems: number } } };
    expect(def.properties.nodes.maxItems).toBe(2000);
    const create = (doc.paths?.['/v1/orgs/{orgId}/workflows'] as Record<string, Operation>)['post']!;
    const body = (create.requestBody as OpenAPIV3_1.RequestBodyObject).content['application/json']!.schema as { properties: Record<string, unknown> };
    expect(body.properties['definition']).toEqual({ $ref: '#/components/schemas/WorkflowDefinition' });
    const get = (doc.paths?.['/v1/orgs/{orgId}/workflows/{workflowId}'] as Record<string, Operation>)['get']!;
    const ok = (get.responses!['200'] as OpenAPIV3_1.ResponseObject).content!['application/json']!.schema as { properties: Record<string, { $ref?: string }> };
    expect(ok.properties['definition']?.$ref).toBe('#/components/schemas/WorkflowDefinition');
  });

  it('documents the project export as a zip download and the webhook trigger as public', () => {
    const exportOp = (doc.paths?.['/v1/orgs/{orgId}/workflows/{workflowId}/export'] as Record<string, Operation>)['get']!;
    expect((exportOp.responses!['200'] as OpenAPIV3_1.ResponseObject).content?.['application/zip']?.schema).toMatchObject({ type: 'string', format: 'binary' });
    const hook = (doc.paths?.['/v1/hooks/{token}'] as Record<string, Operation>)['post']!;
    expect(hook.security).toEqual([]);
    const problem = (doc.components?.schemas?.['Problem'] as { properties: { errors: { items: { properties: Record<string, unknown> } } } });
    expect(Object.keys(problem.properties.errors.items.properties)).toEqual(expect.arrayContaining(['field', 'code', 'message', 'nodeId']));
  });

  it('serves the interactive docs at /docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
