import type { ContainerDefinition, KeyValuePair, LogConfiguration, Secret, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Loose } from '../normalise';
import { RedactionCounter, redactionMarker } from '../../shared/redaction';
import type { BundleEvidence } from './read-bundle';

/**
 * Redaction of the raw evidence parts of an `incident-bundle.v1` before it leaves the analyzer (the
 * S3 audit record, `ecs-rca capture` files). Texts that may quote a secret are masked with
 * `redactText` (log messages, `stoppedReason`s, container `reason`s, service event messages, deployment
 * `rolloutStateReason`s, target-health descriptions, alarm state reasons, container commands); the
 * values of `environment` entries and the `valueFrom` of `secrets` entries are replaced whatever they
 * hold, names kept. `secrets` values are only overwritten, never read: they are references (ARNs or
 * parameter names) that the analysis does not need.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/taskdef-envfiles.html (environment values
 * are visible to anyone who can describe the task definition; `secrets` are for sensitive data)
 */

/** Redacted bundle parts and how many values were masked. */
export interface RedactedBundleEvidence {
  /** A copy of the parts with secrets masked; the input is not modified. */
  evidence: BundleEvidence;
  /** Texts' secrets masked plus environment / secret-reference values replaced. */
  redactions: number;
}

/** An EventBridge event with its task's texts and override environment values masked. */
export interface RedactedBundleEvent {
  /** A copy of the event; the input is not modified. */
  event: unknown;
  redactions: number;
}

// Markers written by earlier redaction (ours or `evidence/ecs/redact.ts`): replacing them again would
// count a secret twice.
const ALREADY_REDACTED = /^(?:\[REDACTED:[a-z-]+\]|\(redacted\))$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `value` with the string at `key` passed through `fn`, when it is a string. */
function withText<T>(value: T, key: string, counter: RedactionCounter): T {
  if (!isObj(value) || typeof value[key] !== 'string') return value;
  return { ...value, [key]: counter.text(value[key] as string) } as T;
}

/** An array field's items mapped, when it is an array. */
function mapArray<T>(value: T, key: string, fn: (item: unknown) => unknown): T {
  if (!isObj(value) || !Array.isArray(value[key])) return value;
  return { ...value, [key]: (value[key] as unknown[]).map(fn) } as T;
}

/** A string-array field's strings masked (commands, entry points). */
function withTexts<T>(value: T, key: string, counter: RedactionCounter): T {
  return mapArray(value, key, (item) => counter.maybe(item));
}

/** Replaces `entry[field]` (a value or a reference) whatever it holds, counting real replacements. */
function replaceValue(entry: unknown, field: string, marker: string, counter: RedactionCounter): unknown {
  if (!isObj(entry)) return entry;
  const current = entry[field];
  if (typeof current !== 'string' || current === '' || ALREADY_REDACTED.test(current)) return entry;
  counter.count += 1;
  return { ...entry, [field]: marker };
}

const environmentOf = (counter: RedactionCounter) => (pair: unknown) =>
  replaceValue(pair as Loose<KeyValuePair>, 'value', redactionMarker('environment-value'), counter);
const secretOf = (counter: RedactionCounter) => (secret: unknown) =>
  replaceValue(secret as Loose<Secret>, 'valueFrom', redactionMarker('secret-reference'), counter);

// Log-driver options that carry credentials (`splunk-token`, a FireLens output's `apikey`, `HTTP_Passwd`).
const SECRET_OPTION = /token|passw|secret|credential|api[-_]?key|auth|license/i;

function redactLogConfiguration(config: unknown, counter: RedactionCounter): unknown {
  if (!isObj(config)) return config;
  let out: Obj = mapArray(config, 'secretOptions', secretOf(counter));
  const options = out.options;
  if (isObj(options)) {
    const masked = Object.fromEntries(
      Object.entries(options).map(([name, value]) => {
        if (typeof value !== 'string') return [name, value];
        if (SECRET_OPTION.test(name)) return [name, (replaceValue({ value }, 'value', redactionMarker('secret-value'), counter) as Obj).value];
        return [name, counter.text(value)];
      }),
    );
    out = { ...out, options: masked };
  }
  return out as Loose<LogConfiguration>;
}

function redactContainerDefinition(definition: unknown, counter: RedactionCounter): unknown {
  if (!isObj(definition)) return definition;
  let out = definition as Obj;
  out = mapArray(out, 'environment', environmentOf(counter));
  out = mapArray(out, 'secrets', secretOf(counter));
  out = withTexts(out, 'command', counter);
  out = withTexts(out, 'entryPoint', counter);
  if (isObj(out.healthCheck)) out = { ...out, healthCheck: withTexts(out.healthCheck, 'command', counter) };
  if (out.logConfiguration !== undefined) out = { ...out, logConfiguration: redactLogConfiguration(out.logConfiguration, counter) };
  return out as Loose<ContainerDefinition>;
}

/** A task (DescribeTasks `tasks[]` or an event `detail`): reasons masked, override environment values replaced. */
function redactTask<T>(task: T, counter: RedactionCounter): T {
  let out = withText(task, 'stoppedReason', counter);
  out = mapArray(out, 'containers', (c) => withText(c, 'reason', counter));
  if (isObj(out) && isObj(out.overrides)) {
    const overrides = mapArray(out.overrides, 'containerOverrides', (o) => {
      const withEnv = mapArray(o, 'environment', environmentOf(counter));
      return withTexts(withEnv, 'command', counter);
    });
    out = { ...out, overrides } as T;
  }
  return out;
}

/**
 * Masks the secrets of a bundle's raw evidence parts (`collectEvidence(...).bundle`, or a bundle
 * file's `evidence`), keeping every field name, structure and non-secret text as is.
 *
 * - `tasks[]`: `stoppedReason`, `containers[].reason` masked; `overrides.containerOverrides[].environment[].value` replaced.
 * - `taskDefinition.containerDefinitions[]`: `environment[].value` and `secrets[].valueFrom` replaced
 *   (`[REDACTED:environment-value]`, `[REDACTED:secret-reference]`); credential-like log-driver
 *   options and `secretOptions[].valueFrom` replaced; `command`, `entryPoint`, `healthCheck.command` masked.
 * - `services[]`: `events[].message` and `deployments[].rolloutStateReason` masked.
 * - `logs[]`: `events[].message` masked.
 * - `targetHealth[]`: `targetHealthDescriptions[].TargetHealth.Description` masked.
 * - `alarms[]`: `StateReason` masked.
 *
 * Pure: never throws on odd shapes (anything not of the expected type is copied as is).
 */
export function redactBundleEvidence(parts: BundleEvidence): RedactedBundleEvidence {
  const counter = new RedactionCounter();
  const evidence: BundleEvidence = { ...parts };
  if (parts.tasks) evidence.tasks = parts.tasks.map((task) => redactTask(task, counter));
  if (parts.taskDefinition) {
    evidence.taskDefinition = mapArray(parts.taskDefinition, 'containerDefinitions', (d) =>
      redactContainerDefinition(d, counter),
    ) as Loose<TaskDefinition>;
  }
  if (parts.services) {
    evidence.services = parts.services.map((service) => {
      const withEvents = mapArray(service, 'events', (e) => withText(e, 'message', counter));
      return mapArray(withEvents, 'deployments', (d) => withText(d, 'rolloutStateReason', counter));
    });
  }
  if (parts.logs) evidence.logs = parts.logs.map((stream) => mapArray(stream, 'events', (e) => withText(e, 'message', counter)));
  if (parts.targetHealth) {
    evidence.targetHealth = parts.targetHealth.map((group) =>
      mapArray(group, 'targetHealthDescriptions', (d) =>
        isObj(d) && isObj(d.TargetHealth) ? { ...d, TargetHealth: withText(d.TargetHealth, 'Description', counter) } : d,
      ),
    );
  }
  if (parts.alarms) evidence.alarms = parts.alarms.map((alarm) => withText(alarm, 'StateReason', counter));
  return { evidence, redactions: counter.count };
}

/**
 * Masks the texts of the EventBridge event archived in a bundle: a task state change's `detail` is a
 * task (its `stoppedReason`, container `reason`s and override environment values), a deployment
 * event's `detail.reason`, an alarm's `detail.state.reason`. Other fields are copied as is.
 *
 * @param event the event as received (any shape; non-objects are returned unchanged).
 */
export function redactBundleEvent(event: unknown): RedactedBundleEvent {
  const counter = new RedactionCounter();
  if (!isObj(event) || !isObj(event.detail)) return { event, redactions: 0 };
  let detail = redactTask(event.detail, counter);
  detail = withText(detail, 'reason', counter);
  if (isObj(detail.state)) detail = { ...detail, state: withText(detail.state, 'reason', counter) };
  return { event: { ...event, detail }, redactions: counter.count };
}
