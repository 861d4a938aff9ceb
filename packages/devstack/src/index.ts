export * from './paths.ts';
export * from './ports.ts';
export * from './postgres.ts';
export * from './temporal.ts';
export * from './app-roles.ts';
export * from './stack-urls.ts';
export * from './test-database.ts';
export * from './test-services.ts';
