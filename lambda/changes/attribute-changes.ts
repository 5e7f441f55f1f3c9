import type { Category } from '../classification/taxonomy';
import { lastSegment } from '../evidence/ecs-names';
import type { ChangeItem, Changes, Finding, RcaReport } from '../report/report-schema';
import { escapeRegExp } from '../shared/text';

/**
 * Attribution: links each finding to the change items that can explain it, and says so in its
 * explanation — the root cause's sentence is the verdict every renderer shows. Pure.
 *
 * A link needs both sides: the finding's category and a change of the matching kind; for a missing
 * environment variable or secret, the name the program reported must be the one the revision removed
 * or renamed; when the finding names its container, only that container's (or task-level) changes count.
 */

type Kind = ChangeItem['kind'];
const IMAGE: Kind[] = ['image'];
const HEALTH: Kind[] = ['health_check', 'ports', 'load_balancers'];

/** Change kinds that can introduce each category. */
const KINDS_BY_CATEGORY: Partial<Record<Category, Kind[]>> = {
  app_config_missing: ['environment_removed', 'secret_removed', 'environment_changed', 'secret_changed'],
  secrets_fetch_failed: ['secret_added', 'secret_changed', 'execution_role'],
  app_import_error: IMAGE,
  app_crash: [...IMAGE, 'command', 'entry_point'],
  app_exit_nonzero: [...IMAGE, 'command', 'entry_point'],
  image_arch_mismatch: [...IMAGE, 'runtime_platform'],
  image_not_found: IMAGE,
  registry_auth_failed: [...IMAGE, 'execution_role'],
  container_command_invalid: ['command', 'entry_point', 'working_directory', ...IMAGE],
  oom_killed: ['memory'],
  disk_full: ['ephemeral_storage', 'mount_points', 'volumes'],
  permission_denied: ['user', 'mount_points', 'volumes', 'task_role'],
  port_bind_failed: ['ports', 'user'],
  log_setup_failed: ['log_configuration', 'execution_role'],
  volume_mount_failed: ['mount_points', 'volumes'],
  health_check_timeout: HEALTH,
  health_check_bad_status: [...HEALTH, ...IMAGE],
  health_check_connection_failed: HEALTH,
  health_check_startup_too_slow: HEALTH,
  container_health_check_failed: ['health_check', ...IMAGE],
  dependency_auth_failed: ['environment_changed', 'secret_changed', 'task_role'],
};

const NAMED: ReadonlySet<Kind> = new Set(['environment_removed', 'secret_removed', 'environment_changed', 'secret_changed']);

/** `memory 1024 → 512`: true when the new value is lower (a cut), false when it grew or is unknown. */
function isDecrease(item: ChangeItem): boolean {
  // Split on the arrow rather than scan digits with an unanchored regex (linear on any summary).
  const at = item.summary.lastIndexOf(' → ');
  if (at < 0) return false;
  const before = Number(item.summary.slice(0, at).split(' ').pop());
  const after = Number(item.summary.slice(at + 3).split(' ')[0]);
  return Number.isFinite(before) && Number.isFinite(after) && after < before;
}

function mentions(finding: Finding, name: string): boolean {
  const word = new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(name)}(?![A-Za-z0-9_])`);
  return [finding.title, ...finding.evidence.map((e) => e.text)].some((t) => word.test(t));
}

/** The change items that can explain `finding`. */
export function changesBehind(finding: Finding, changes: Changes): ChangeItem[] {
  const kinds = KINDS_BY_CATEGORY[finding.category];
  if (!kinds) return [];
  const containers = new Set(finding.evidence.flatMap((e) => (e.containerName ? [e.containerName] : [])));
  return changes.items.filter((item) => {
    if (!kinds.includes(item.kind)) return false;
    if (item.containerName && containers.size > 0 && !containers.has(item.containerName)) return false;
    // A program reporting a missing variable names it: only that variable's change explains it.
    if (finding.category === 'app_config_missing' && NAMED.has(item.kind)) return item.name !== undefined && mentions(finding, item.name);
    if (item.kind === 'memory' || item.kind === 'ephemeral_storage') return isDecrease(item);
    return true;
  });
}

function sentence(items: readonly ChangeItem[], changes: Changes): string {
  const revision = (ref: Changes['baseline']) => ref.taskDefinitionArn?.split('/').pop() ?? 'the previous revision';
  const listed = items.slice(0, 3).map((i) => i.summary).join('; ');
  const more = items.length > 3 ? ` and ${items.length - 3} more` : '';
  return `This started with the change from ${revision(changes.baseline)} to ${revision(changes.current)}: ${listed}${more}.`;
}

/** For a removed variable, the variables the same container gained: it may have been renamed. */
function renamedTo(items: readonly ChangeItem[], changes: Changes): string {
  const removed = items.filter((i) => i.kind === 'environment_removed' || i.kind === 'secret_removed');
  const added = changes.items.filter((i) => (i.kind === 'environment_added' || i.kind === 'secret_added') && removed.some((r) => r.containerName === i.containerName));
  return removed.length > 0 && added.length > 0 ? ` The same revision added ${added.map((i) => i.name).join(', ')}: a rename?` : '';
}

function attributed(finding: Finding, changes: Changes): Finding {
  const items = changesBehind(finding, changes);
  if (items.length === 0) return finding;
  return { ...finding, changeRefs: items.map((i) => i.id), explanation: `${finding.explanation} ${sentence(items, changes)}${renamedTo(items, changes)}` };
}

const UNCHANGED =
  'The task definition and image digests are the same as in the revision compared against, which points away from a code or configuration change.';

/**
 * The ECS console page of a service's deployments, where its service revisions are compared
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html).
 */
function deploymentsLink(report: RcaReport): string | undefined {
  const { clusterArn, serviceName } = report.resource;
  if (!clusterArn || !serviceName) return undefined;
  const region = report.trigger.region;
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${encodeURIComponent(lastSegment(clusterArn))}/services/${encodeURIComponent(serviceName)}/deployments?region=${region}`;
}

/**
 * The report with `changes` set, its findings linked to the change items that introduced them and
 * `links.serviceRevisions` set for a service. When nothing changed, the root cause's explanation says so.
 */
export function attributeChanges(report: RcaReport, changes: Changes | undefined): RcaReport {
  if (!changes) return report;
  const link = deploymentsLink(report);
  const rootCause = changes.unchanged
    ? { ...report.rootCause, explanation: `${report.rootCause.explanation} ${UNCHANGED}` }
    : attributed(report.rootCause, changes);
  return {
    ...report,
    rootCause,
    contributing: report.contributing.map((f) => attributed(f, changes)),
    symptoms: report.symptoms.map((f) => attributed(f, changes)),
    changes,
    links: { ...report.links, ...(link ? { serviceRevisions: link } : {}) },
  };
}
