export * from './errors.ts';
export * from './deploy.ts';
export * from './runs.ts';
export * from './input-validation.ts';
export * from './run-control.ts';
export * from './export-project.ts';
export * from './schedules.ts';
export * from './batches.ts';
