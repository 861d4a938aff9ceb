export * from './connection.ts';
export * from './caller.ts';
export type * from './schema.generated.ts';
export * from './catalog.ts';
export * from './secret-box.ts';
export * from './templates.ts';
