import type { ContainerDefinitionEvidence, ServiceRevisionEvidence, TaskDefinitionEvidence } from '../evidence/types';
import type { ChangeItem } from '../report/report-schema';

/**
 * The task-definition diff: what differs between the revision compared against (baseline) and the
 * incident's revision (current), per container and for the task, plus the service revisions' image
 * digests and load balancers. Pure.
 *
 * Environment values and secret references are compared only through their keyed hashes
 * (`ContainerDefinitionEvidence.environmentFingerprints`): an item names the variable, never a value.
 * Fields compared are those of the task definition
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html) and of
 * the service revision (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceRevision.html).
 */

/** The diff and what could not be compared. */
export interface TaskDefinitionDiff {
  items: ChangeItem[];
  /** One sentence per part that could not be compared. */
  notes: string[];
}

/** The images of one side, by container name (from its service revision, else its task definition). */
export type ImagesByContainer = ReadonlyMap<string, { image?: string; imageDigest?: string }>;

type Kind = ChangeItem['kind'];

function item(kind: Kind, summary: string, containerName?: string, name?: string): ChangeItem {
  return { id: [kind, containerName ?? '', name ?? ''].join(':'), kind, ...(containerName ? { containerName } : {}), ...(name ? { name } : {}), summary };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const shown = (v: unknown): string => (v === undefined || v === null || v === '' ? '(none)' : String(v));
const shortDigest = (digest: string | undefined): string | undefined => (digest ? digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]*$/, '$1…') : undefined);

function imageText(image: string | undefined, digest: string | undefined): string {
  const d = shortDigest(digest);
  return d ? `${shown(image)} (${d})` : shown(image);
}

/** Images of a revision's `containerImages`, or of the task definition's container definitions. */
export function imagesOf(td: TaskDefinitionEvidence | undefined, revision: ServiceRevisionEvidence | undefined): ImagesByContainer {
  const out = new Map<string, { image?: string; imageDigest?: string }>();
  for (const c of td?.containers ?? []) out.set(c.name, c.image ? { image: c.image } : {});
  for (const c of revision?.containerImages ?? []) out.set(c.containerName, { ...(c.image ? { image: c.image } : {}), ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}) });
  return out;
}

function namedDiff(
  container: string,
  before: { names: string[]; prints?: Record<string, string> },
  after: { names: string[]; prints?: Record<string, string> },
  kinds: { added: Kind; removed: Kind; changed: Kind; what: string; changedText: string },
  notes: string[],
): ChangeItem[] {
  const items: ChangeItem[] = [];
  const old = new Set(before.names);
  const now = new Set(after.names);
  for (const n of after.names) if (!old.has(n)) items.push(item(kinds.added, `${container}: ${kinds.what} ${n} added`, container, n));
  for (const n of before.names) if (!now.has(n)) items.push(item(kinds.removed, `${container}: ${kinds.what} ${n} removed`, container, n));
  let unknown = 0;
  for (const n of after.names) {
    if (!old.has(n)) continue;
    const a = before.prints?.[n];
    const b = after.prints?.[n];
    if (a === undefined || b === undefined) unknown += 1;
    else if (a !== b) items.push(item(kinds.changed, `${container}: ${kinds.what} ${n} ${kinds.changedText}`, container, n));
  }
  if (unknown > 0) notes.push(`${container}: whether ${unknown} ${kinds.what} value(s) changed is unknown (the values were masked before they reached the analyzer).`);
  return items;
}

function healthCheckTiming(h: ContainerDefinitionEvidence['healthCheck']): string {
  if (!h) return '(none)';
  return [
    h.intervalSeconds !== undefined ? `interval ${h.intervalSeconds}s` : '',
    h.timeoutSeconds !== undefined ? `timeout ${h.timeoutSeconds}s` : '',
    h.retries !== undefined ? `retries ${h.retries}` : '',
    h.startPeriodSeconds !== undefined ? `startPeriod ${h.startPeriodSeconds}s` : '',
  ].filter((t) => t !== '').join(', ');
}

/** At most `max` code points (never half a surrogate pair), with `…` when cut. */
export function cutCodePoints(text: string, max: number): string {
  const points = Array.from(text);
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : text;
}

// A health-check command is shown (its path and port are what changed) but kept to one short line.
const healthCheckCommand = (h: ContainerDefinitionEvidence['healthCheck']): string =>
  h ? JSON.stringify(cutCodePoints(h.command.join(' '), 160)) : '(none)';

/** `healthCheck "…/health…" → "…/healthz…"`, with the timing only when it changed. */
function healthCheckText(before: ContainerDefinitionEvidence['healthCheck'], after: ContainerDefinitionEvidence['healthCheck']): string {
  const parts: string[] = [];
  if (!same(before?.command, after?.command)) parts.push(`command ${healthCheckCommand(before)} → ${healthCheckCommand(after)}`);
  if (healthCheckTiming(before) !== healthCheckTiming(after)) parts.push(`${healthCheckTiming(before)} → ${healthCheckTiming(after)}`);
  return parts.join('; ');
}

const portsText = (c: ContainerDefinitionEvidence): string =>
  c.portMappings.map((p) => `${p.containerPort ?? '?'}${p.protocol ? `/${p.protocol}` : ''}`).join(', ') || '(none)';

function containerDiff(
  before: ContainerDefinitionEvidence,
  after: ContainerDefinitionEvidence,
  images: { before: ImagesByContainer; after: ImagesByContainer },
  notes: string[],
): ChangeItem[] {
  const c = after.name;
  const items: ChangeItem[] = [];
  const ib = images.before.get(c) ?? {};
  const ia = images.after.get(c) ?? {};
  const digestsKnown = ib.imageDigest !== undefined && ia.imageDigest !== undefined;
  if (ib.image !== ia.image || (digestsKnown && ib.imageDigest !== ia.imageDigest)) {
    items.push(item('image', `${c}: image ${imageText(ib.image, ib.imageDigest)} → ${imageText(ia.image, ia.imageDigest)}`, c));
  }
  items.push(
    ...namedDiff(c, { names: before.environmentNames, ...(before.environmentFingerprints ? { prints: before.environmentFingerprints } : {}) },
      { names: after.environmentNames, ...(after.environmentFingerprints ? { prints: after.environmentFingerprints } : {}) },
      { added: 'environment_added', removed: 'environment_removed', changed: 'environment_changed', what: 'environment variable', changedText: 'has a new value' }, notes),
    ...namedDiff(c, { names: before.secretNames, ...(before.secretFingerprints ? { prints: before.secretFingerprints } : {}) },
      { names: after.secretNames, ...(after.secretFingerprints ? { prints: after.secretFingerprints } : {}) },
      { added: 'secret_added', removed: 'secret_removed', changed: 'secret_changed', what: 'secret', changedText: 'references another valueFrom' }, notes),
  );
  // Commands may quote credentials: say that they changed, not what they hold.
  if (!same(before.command, after.command)) items.push(item('command', `${c}: command changed`, c));
  if (!same(before.entryPoint, after.entryPoint)) items.push(item('entry_point', `${c}: entryPoint changed`, c));
  if (before.workingDirectory !== after.workingDirectory) {
    items.push(item('working_directory', `${c}: workingDirectory ${shown(before.workingDirectory)} → ${shown(after.workingDirectory)}`, c));
  }
  if (before.user !== after.user) items.push(item('user', `${c}: user ${shown(before.user)} → ${shown(after.user)}`, c));
  if (!same(before.portMappings, after.portMappings)) items.push(item('ports', `${c}: portMappings ${portsText(before)} → ${portsText(after)}`, c));
  if (!same(before.healthCheck, after.healthCheck)) {
    items.push(item('health_check', `${c}: healthCheck ${healthCheckText(before.healthCheck, after.healthCheck)}`, c));
  }
  if (before.essential !== after.essential) items.push(item('essential', `${c}: essential ${before.essential} → ${after.essential}`, c));
  if (!same(before.dependsOn, after.dependsOn)) items.push(item('depends_on', `${c}: dependsOn changed`, c));
  if (!same(before.logConfiguration, after.logConfiguration)) {
    items.push(item('log_configuration', `${c}: logConfiguration ${shown(before.logConfiguration?.logDriver)} → ${shown(after.logConfiguration?.logDriver)}${before.logConfiguration?.logDriver === after.logConfiguration?.logDriver ? ' (options changed)' : ''}`, c));
  }
  if (!same(before.mountPoints, after.mountPoints)) items.push(item('mount_points', `${c}: mountPoints changed`, c));
  if (before.cpu !== after.cpu) items.push(item('cpu', `${c}: cpu ${shown(before.cpu)} → ${shown(after.cpu)} units`, c, 'cpu'));
  for (const field of ['memory', 'memoryReservation'] as const) {
    if (before[field] !== after[field]) items.push(item('memory', `${c}: ${field} ${shown(before[field])} → ${shown(after[field])} MiB`, c, field));
  }
  return items;
}

function taskDiff(before: TaskDefinitionEvidence, after: TaskDefinitionEvidence): ChangeItem[] {
  const items: ChangeItem[] = [];
  if (before.cpu !== after.cpu) items.push(item('cpu', `task cpu ${shown(before.cpu)} → ${shown(after.cpu)} units`, undefined, 'cpu'));
  if (before.memory !== after.memory) items.push(item('memory', `task memory ${shown(before.memory)} → ${shown(after.memory)} MiB`, undefined, 'memory'));
  if (!same(before.runtimePlatform, after.runtimePlatform)) {
    const text = (p: TaskDefinitionEvidence['runtimePlatform']) => (p ? `${shown(p.operatingSystemFamily)}/${shown(p.cpuArchitecture)}` : '(none)');
    items.push(item('runtime_platform', `runtimePlatform ${text(before.runtimePlatform)} → ${text(after.runtimePlatform)}`));
  }
  if (before.taskRoleArn !== after.taskRoleArn) items.push(item('task_role', `taskRoleArn ${shown(before.taskRoleArn)} → ${shown(after.taskRoleArn)}`));
  if (before.executionRoleArn !== after.executionRoleArn) {
    items.push(item('execution_role', `executionRoleArn ${shown(before.executionRoleArn)} → ${shown(after.executionRoleArn)}`));
  }
  if (before.networkMode !== after.networkMode) items.push(item('network_mode', `networkMode ${shown(before.networkMode)} → ${shown(after.networkMode)}`));
  if (before.ephemeralStorageGiB !== after.ephemeralStorageGiB) {
    items.push(item('ephemeral_storage', `ephemeralStorage ${shown(before.ephemeralStorageGiB)} → ${shown(after.ephemeralStorageGiB)} GiB`));
  }
  if (!same(before.volumes, after.volumes)) {
    const names = (v: TaskDefinitionEvidence['volumes']) => v.map((x) => `${x.name} (${x.kind})`).join(', ') || '(none)';
    items.push(item('volumes', `volumes ${names(before.volumes)} → ${names(after.volumes)}`));
  }
  return items;
}

/**
 * Compares two task definitions (and, when given, the images each side's service revision resolved).
 *
 * @returns the change items, containers in the current revision's order then task-level items, and
 *   notes for what could not be compared.
 */
export function diffTaskDefinitions(
  baseline: TaskDefinitionEvidence,
  current: TaskDefinitionEvidence,
  images: { before: ImagesByContainer; after: ImagesByContainer } = { before: imagesOf(baseline, undefined), after: imagesOf(current, undefined) },
): TaskDefinitionDiff {
  const notes: string[] = [];
  const items: ChangeItem[] = [];
  const old = new Map(baseline.containers.map((c) => [c.name, c]));
  for (const after of current.containers) {
    const before = old.get(after.name);
    if (!before) items.push(item('container_added', `container ${after.name} added (${shown(after.image)})`, after.name));
    else items.push(...containerDiff(before, after, images, notes));
  }
  const now = new Set(current.containers.map((c) => c.name));
  for (const before of baseline.containers) if (!now.has(before.name)) items.push(item('container_removed', `container ${before.name} removed`, before.name));
  items.push(...taskDiff(baseline, current));
  return { items, notes };
}

/** Load balancer mappings of two service revisions (the target group, container and port ECS registers). */
export function diffLoadBalancers(before: ServiceRevisionEvidence, after: ServiceRevisionEvidence): ChangeItem[] {
  if (same(before.loadBalancers, after.loadBalancers)) return [];
  const text = (r: ServiceRevisionEvidence) =>
    r.loadBalancers.map((l) => `${l.targetGroupArn?.split('/')[1] ?? '?'} → ${l.containerName ?? '?'}:${l.containerPort ?? '?'}`).join(', ') || '(none)';
  return [item('load_balancers', `loadBalancers ${text(before)} → ${text(after)}`)];
}
