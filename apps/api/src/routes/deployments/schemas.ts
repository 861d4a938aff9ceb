import { Type } from 'typebox';
import { Nullable, Timestamp } from '../../schemas/common.ts';
import { StoredDefinition } from '../workflows/schemas.ts';

export const Version = Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'A compiled version (1, 2, 3...)' });

export const CompiledFiles = Type.Object({
  workflowCode: Type.String({ description: 'src/workflows/<workflowType>.ts' }),
  activitiesCode: Type.String({ description: 'src/activities.ts' }),
  workerCode: Type.String({ description: 'src/worker.ts' }),
  packageJson: Type.String(),
  tsconfigJson: Type.String(),
});

const compiledVersion = {
  version: Version,
  workflowType: Type.String({ description: 'Temporal workflow type, wf_<kebab>_v<version>' }),
  contentHash: Type.String({ description: 'sha256 of the generated files' }),
};

export const CompileResult = Type.Object({
  ...compiledVersion,
  reused: Type.Boolean({ description: 'The code was identical to the latest stored version, which is returned instead of a new one' }),
  files: CompiledFiles,
});

export const DeployQuery = Type.Object(
  { wait: Type.Optional(Type.Integer({ minimum: 0, maximum: 60, description: 'Seconds to wait for a worker to pick the version up (default 15; 0: do not wait)' })) },
  { additionalProperties: false },
);

export const ScheduleState = Type.Object({
  scheduleId: Type.String({ description: 'The Temporal Schedule mirroring the trigger.schedule node' }),
  cron: Type.String(),
  timezone: Type.String(),
  paused: Type.Boolean(),
  error: Nullable(Type.String({ description: 'Why Temporal refused the schedule, if it did' })),
});

export const DeployResult = Type.Object({
  ...compiledVersion,
  reused: Type.Boolean(),
  pickedUp: Type.Boolean({ description: 'A worker serves the version (false: not within the wait; it may still)' }),
  pickedUpAt: Nullable(Timestamp),
  // Set when the workflow starts with a schedule trigger.
  schedule: Nullable(ScheduleState),
});

export const VersionQuery = Type.Object(
  { version: Type.Optional(Version) },
  { additionalProperties: false },
);

export const Compiled = Type.Object({
  ...compiledVersion,
  isActive: Type.Boolean(),
  compiledAt: Timestamp,
  pickedUpAt: Nullable(Timestamp),
  files: CompiledFiles,
  definition: Nullable(StoredDefinition),
});

export const ZipFile = Type.String({ format: 'binary', description: 'A standalone project: npm install && npm start runs a worker' });
