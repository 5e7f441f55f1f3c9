import type { ContainerDefinition, KeyValuePair, LogConfiguration, Task, TaskDefinition } from '@aws-sdk/client-ecs';

/**
 * Redaction of the raw ECS shapes kept for `incident-bundle.v1` captures and the S3 audit record.
 * Environment variable values and credential-like log options may hold secrets in plain text (ECS
 * returns them as written); the evidence model never reads them, so captures keep names only.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/taskdef-envfiles.html (use `secrets`
 * for sensitive data, because `environment` values are visible in the task definition)
 */

/** The value written in place of a redacted one. */
export const REDACTED = '(redacted)';

// Log-driver options that carry credentials, e.g. `splunk-token`, a FireLens output's `apikey`.
const SECRET_OPTION = /token|passw|secret|credential|api[-_]?key|auth|license/i;

function redactEnvironment(environment: KeyValuePair[] | undefined): KeyValuePair[] | undefined {
  return environment?.map((pair) => (pair.value === undefined ? pair : { ...pair, value: REDACTED }));
}

function redactLogConfiguration(config: LogConfiguration | undefined): LogConfiguration | undefined {
  if (!config?.options) return config;
  const options = Object.fromEntries(Object.entries(config.options).map(([k, v]) => [k, SECRET_OPTION.test(k) ? REDACTED : v]));
  return { ...config, options };
}

function redactContainerDefinition(def: ContainerDefinition): ContainerDefinition {
  const environment = redactEnvironment(def.environment);
  const logConfiguration = redactLogConfiguration(def.logConfiguration);
  return { ...def, ...(environment ? { environment } : {}), ...(logConfiguration ? { logConfiguration } : {}) };
}

/** A copy of a DescribeTaskDefinition `taskDefinition` without environment values or credential-like log options. */
export function redactTaskDefinition(taskDefinition: TaskDefinition): TaskDefinition {
  const definitions = taskDefinition.containerDefinitions;
  return definitions ? { ...taskDefinition, containerDefinitions: definitions.map(redactContainerDefinition) } : taskDefinition;
}

/** A copy of a DescribeTasks task without the environment values of its container overrides. */
export function redactTask(task: Task): Task {
  const overrides = task.overrides;
  if (!overrides?.containerOverrides) return task;
  return {
    ...task,
    overrides: {
      ...overrides,
      containerOverrides: overrides.containerOverrides.map((o) => {
        const environment = redactEnvironment(o.environment);
        return environment ? { ...o, environment } : o;
      }),
    },
  };
}
