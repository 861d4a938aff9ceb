export * from './errors.ts';
export * from './deploy.ts';
export * from './runs.ts';
export * from './input-validation.ts';
