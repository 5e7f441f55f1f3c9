import type { ContainerDefinition, KeyValuePair, LogConfiguration, Secret, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Loose } from '../normalise';
import { isPlaceholderValue, isSecretKey, isSecretOption, RedactionCounter, redactionMarker } from '../../shared/redaction';
import { captureHasher } from '../../shared/value-fingerprint';
import type { BundleEvidence } from './read-bundle';

/**
 * Redaction of the raw evidence parts of an `incident-bundle.v1` before it leaves the analyzer (the
 * S3 audit record, `ecs-rca capture` files). Texts that may quote a secret are masked with
 * `redactText` (log messages, `stoppedReason`s, container `reason`s, service event messages, deployment
 * `rolloutStateReason`s and service deployments' `statusReason`s, target-health descriptions, alarm
 * state reasons, container commands); the values of task definitions' `environment` entries and the
 * `valueFrom` of their `secrets` entries are replaced whatever they hold, names kept, by a keyed hash
 * (`hmac-sha256:…`) under a random key drawn for this one bundle and then dropped: equal values stay
 * equal between the two task definitions of a bundle, so the change diff survives replay, and no
 * value can be recovered (`shared/value-fingerprint.ts`). CloudTrail events keep only who and when.
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
const ALREADY_REDACTED = /^(?:\[REDACTED:[a-z0-9-]+\]|\(redacted\))$/;

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

/** Replaces `entry[field]` by its keyed hash for this bundle, counting real replacements. */
function hashValue(entry: unknown, field: string, hash: (value: string) => string, counter: RedactionCounter): unknown {
  if (!isObj(entry)) return entry;
  const current = entry[field];
  if (typeof current !== 'string' || current === '' || ALREADY_REDACTED.test(current)) return entry;
  const hashed = hash(current);
  if (hashed !== current) counter.count += 1;
  return { ...entry, [field]: hashed };
}

const environmentOf = (counter: RedactionCounter) => (pair: unknown) =>
  replaceValue(pair as Loose<KeyValuePair>, 'value', redactionMarker('environment-value'), counter);
const secretOf = (counter: RedactionCounter) => (secret: unknown) =>
  replaceValue(secret as Loose<Secret>, 'valueFrom', redactionMarker('secret-reference'), counter);

function redactLogConfiguration(config: unknown, counter: RedactionCounter): unknown {
  if (!isObj(config)) return config;
  let out: Obj = mapArray(config, 'secretOptions', secretOf(counter));
  const options = out.options;
  if (isObj(options)) {
    const masked = Object.fromEntries(
      Object.entries(options).map(([name, value]) => {
        if (typeof value !== 'string') return [name, value];
        if (isSecretOption(name)) return [name, (replaceValue({ value }, 'value', redactionMarker('secret-value'), counter) as Obj).value];
        return [name, counter.text(value)];
      }),
    );
    out = { ...out, options: masked };
  }
  return out as Loose<LogConfiguration>;
}

function redactContainerDefinition(definition: unknown, counter: RedactionCounter, hash: (value: string) => string): unknown {
  if (!isObj(definition)) return definition;
  let out = definition as Obj;
  out = mapArray(out, 'environment', (pair) => hashValue(pair, 'value', hash, counter));
  out = mapArray(out, 'secrets', (secret) => hashValue(secret, 'valueFrom', hash, counter));
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
 * The last pass over everything a bundle holds, after the field-by-field rules above: every string is
 * masked (`dockerLabels`, volume `driverOpts`, health-check commands, fields AWS adds later), and the
 * string value of a key that names a secret (`{"DB_PASSWORD": "…"}` in labels or driver options) is
 * replaced whole. Field names and structure are kept. Bundles are bounded in depth by
 * `checkInputBounds`, so the recursion is too.
 */
function redactEveryString<T>(value: T, counter: RedactionCounter, key?: string): T {
  if (typeof value === 'string') {
    if (key !== undefined && isSecretKey(key) && !isPlaceholderValue(value) && !value.startsWith('[REDACTED:')) {
      counter.count += 1;
      return redactionMarker('secret-value') as T;
    }
    return counter.text(value) as T;
  }
  if (Array.isArray(value)) return value.map((item) => redactEveryString(item, counter)) as T;
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactEveryString(v, counter, k)])) as T;
  return value;
}

/**
 * Masks the secrets of a bundle's raw evidence parts (`collectEvidence(...).bundle`, or a bundle
 * file's `evidence`), keeping every field name, structure and non-secret text as is.
 *
 * - `tasks[]`: `stoppedReason`, `containers[].reason` masked; `overrides.containerOverrides[].environment[].value` replaced.
 * - `taskDefinition` and `baselineTaskDefinition` `.containerDefinitions[]`: `environment[].value` and
 *   `secrets[].valueFrom` replaced by `hmac-sha256:<hex>` (one random key per call, then dropped);
 *   credential-like log-driver options and `secretOptions[].valueFrom` replaced
 *   (`[REDACTED:secret-reference]`); `command`, `entryPoint`, `healthCheck.command` masked.
 * - `serviceDeployments[]`: `statusReason` and `rollback.reason` masked.
 * - `cloudTrailEvents[]`: `CloudTrailEvent` cut down to `minimalCloudTrailEvent`.
 * - `services[]`: `events[].message` and `deployments[].rolloutStateReason` masked.
 * - `logs[]`: `events[].message` masked.
 * - `targetHealth[]`: `targetHealthDescriptions[].TargetHealth.Description` masked.
 * - `alarms[]`: `StateReason` masked.
 *
 * Pure: never throws on odd shapes (anything not of the expected type is copied as is).
 */
export function redactBundleEvidence(parts: BundleEvidence): RedactedBundleEvidence {
  const counter = new RedactionCounter();
  const hash = captureHasher();
  const evidence: BundleEvidence = { ...parts };
  if (parts.tasks) evidence.tasks = parts.tasks.map((task) => redactTask(task, counter));
  const definition = (td: Loose<TaskDefinition>) =>
    mapArray(td, 'containerDefinitions', (d) => redactContainerDefinition(d, counter, hash)) as Loose<TaskDefinition>;
  if (parts.taskDefinition) evidence.taskDefinition = definition(parts.taskDefinition);
  if (parts.baselineTaskDefinition) evidence.baselineTaskDefinition = definition(parts.baselineTaskDefinition);
  if (parts.serviceDeployments) {
    evidence.serviceDeployments = parts.serviceDeployments.map((d) => {
      const out = withText(d, 'statusReason', counter);
      return isObj(out) && isObj(out.rollback) ? { ...out, rollback: withText(out.rollback, 'reason', counter) } : out;
    });
  }
  if (parts.cloudTrailEvents) evidence.cloudTrailEvents = parts.cloudTrailEvents.map(minimalCloudTrailEvent);
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
  return { evidence: redactEveryString(evidence, counter), redactions: counter.count };
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
  return { event: redactEveryString({ ...event, detail }, counter), redactions: counter.count };
}

/** The fields of a `CloudTrailEvent` record that say who and when; everything else is dropped. */
const CLOUDTRAIL_KEPT = ['eventVersion', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'userAgent', 'eventID'] as const;

/**
 * A LookupEvents `Events[]` entry with its `CloudTrailEvent` JSON cut down to who (`userIdentity.type`
 * and `.arn`), when, the user agent and the `cluster`/`service`/`family` the request named. Request
 * parameters are otherwise dropped: those of `RegisterTaskDefinition` hold environment values.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
export function minimalCloudTrailEvent<T>(event: T): T {
  if (!isObj(event)) return event;
  let record: Obj | undefined;
  try {
    const parsed: unknown = typeof event.CloudTrailEvent === 'string' ? JSON.parse(event.CloudTrailEvent) : undefined;
    record = isObj(parsed) ? parsed : undefined;
  } catch {
    record = undefined;
  }
  const { CloudTrailEvent: _dropped, ...rest } = event;
  if (!record) return rest as T;
  const kept: Obj = {};
  for (const key of CLOUDTRAIL_KEPT) if (typeof record[key] === 'string') kept[key] = record[key];
  const identity = isObj(record.userIdentity) ? record.userIdentity : undefined;
  if (identity) kept.userIdentity = Object.fromEntries(['type', 'arn'].flatMap((k) => (typeof identity[k] === 'string' ? [[k, identity[k]]] : [])));
  const request = isObj(record.requestParameters) ? record.requestParameters : undefined;
  if (request) {
    kept.requestParameters = Object.fromEntries(
      ['cluster', 'service', 'serviceName', 'family'].flatMap((k) => (typeof request[k] === 'string' ? [[k, request[k]]] : [])),
    );
  }
  return { ...rest, CloudTrailEvent: JSON.stringify(kept) } as T;
}
