import { Ajv, type Options } from 'ajv';
import type { FastifyServerOptions } from 'fastify';

type ValidatorFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export is the plugin function.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/**
 * Fastify's `schemaController.compilersFactory.buildValidator`: two Ajv instances, because
 * query strings, params and headers arrive as text and must be coerced (`?limit=10`), while a
 * JSON body must match as sent (`"10"` is not a number). Unknown body fields are rejected, not
 * silently removed (Fastify's default `removeAdditional: true` would drop them).
 */
export function buildValidatorFactory(): ValidatorFactory {
  const factory = (externalSchemas?: Record<string, unknown>) => {
    const make = (coerceTypes: Options['coerceTypes']): Ajv => {
      const ajv = new Ajv({
        coerceTypes,
        useDefaults: true,
        removeAdditional: false,
        // The first error only: allErrors on untrusted input lets a crafted body make the
        // validator do (and report) unbounded work.
        allErrors: false,
        // TypeBox adds annotations Ajv's strict mode does not know.
        strict: false,
      });
      addFormats(ajv);
      for (const schema of Object.values(externalSchemas ?? {})) ajv.addSchema(schema as object);
      return ajv;
    };
    const body = make(false);
    const text = make('array');
    return ({ schema, httpPart }: { schema: object; httpPart?: string }) => (httpPart === 'body' ? body : text).compile(schema);
  };
  // Fastify calls the compiler with `{ schema, httpPart, ... }`; its published type says `(schema)`.
  return factory as unknown as ValidatorFactory;
}
