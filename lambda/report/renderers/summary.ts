import type { EvidenceItem, Finding, RcaReport } from '../report-schema';
import { CATEGORIES } from '../../classification/taxonomy';
import { lastSegment } from '../../evidence/ecs-names';

// The renderers import these from here; they live with the other text helpers.
export { oneLine, printable } from '../../shared/text';

/**
 * Small, pure helpers shared by the human-readable renderers (text and markdown): the facts of the
 * verdict line, where a piece of evidence came from, and the removal of terminal control sequences.
 */

/** One labelled fact about the failed resource, e.g. `{ label: 'Service', value: 'web' }`. */
export interface ResourceFact {
  label: string;
  value: string;
}

/**
 * What failed, as short labelled facts in the order people look for them: service, task, cluster,
 * deployment, target group, task definition (after what was done about it, when something was). ARNs are shortened to their last segment (the full ARNs
 * stay in the JSON report and the console links).
 */
export function resourceFacts(report: RcaReport): ResourceFact[] {
  const { resource } = report;
  const facts: ResourceFact[] = [];
  if (report.actionTaken) facts.push({ label: 'Action', value: report.actionTaken.summary });
  if (resource.serviceName) facts.push({ label: 'Service', value: resource.serviceName });
  if (resource.taskArn) facts.push({ label: 'Task', value: lastSegment(resource.taskArn) });
  if (resource.clusterArn) facts.push({ label: 'Cluster', value: lastSegment(resource.clusterArn) });
  if (resource.deploymentId) facts.push({ label: 'Deployment', value: resource.deploymentId });
  if (resource.targetGroupArn) {
    // `…:targetgroup/web-tg/0a1b2c3d` → `web-tg`: the name is the second-to-last segment.
    const parts = resource.targetGroupArn.split('/');
    facts.push({ label: 'Target group', value: parts.length >= 3 ? (parts[parts.length - 2] ?? resource.targetGroupArn) : resource.targetGroupArn });
  }
  if (resource.taskDefinitionArn) facts.push({ label: 'Task definition', value: lastSegment(resource.taskDefinitionArn) });
  return facts;
}

const ROLE_LABEL = { application: undefined, log_router: 'log router', proxy: 'proxy sidecar', agent: 'agent sidecar' } as const;

/**
 * `app (failed, exit 1, essential)`, `log_router (exit 0, log router, not essential)`, `web` — each
 * container with whether it failed, its exit code, its sidecar role and whether it is essential, as far
 * as known.
 */
export function containerSummaries(report: RcaReport): string[] {
  return report.resource.containers.map((container) => {
    const notes = [
      container.failed ? 'failed' : undefined,
      container.exitCode !== undefined ? `exit ${container.exitCode}` : undefined,
      container.role ? ROLE_LABEL[container.role] : undefined,
      container.essential === undefined ? undefined : container.essential ? 'essential' : 'not essential',
    ].filter((n): n is string => n !== undefined);
    return notes.length === 0 ? container.name : `${container.name} (${notes.join(', ')})`;
  });
}

/** ECS's own words for the stop: `stopCode` and `stoppedReason` of the analysed task, labelled, when known. */
export function stopFacts(report: RcaReport): ResourceFact[] {
  const { stopCode, stoppedReason } = report.resource;
  return [
    ...(stopCode ? [{ label: 'Stop code', value: stopCode }] : []),
    ...(stoppedReason ? [{ label: 'Stopped reason', value: stoppedReason }] : []),
  ];
}

/**
 * Where a piece of evidence was read: its source, its time, and its log group and stream (or the
 * container it concerns). Empty parts are left out.
 */
export function evidenceOrigin(item: EvidenceItem): string[] {
  const parts: string[] = [item.source];
  if (item.timestamp) parts.push(item.timestamp);
  if (item.logGroupName) parts.push(item.logGroupName);
  if (item.logStreamName) parts.push(item.logStreamName);
  if (!item.logStreamName && item.containerName) parts.push(`container ${item.containerName}`);
  return parts;
}

/** `0.95` → `95%`. */
export function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

/** `"seen in 3 tasks"` for multi-task findings, otherwise undefined. */
export function taskCountNote(finding: Finding): string | undefined {
  return finding.taskCount !== undefined && finding.taskCount > 1 ? `seen in ${finding.taskCount} tasks` : undefined;
}

/** The console links of the report with human labels, in display order. */
export function labelledLinks(report: RcaReport): { label: string; url: string }[] {
  const { links } = report;
  const out: { label: string; url: string }[] = [];
  if (links.task) out.push({ label: 'Task', url: links.task });
  if (links.service) out.push({ label: 'Service', url: links.service });
  for (const url of links.logStreams ?? []) out.push({ label: 'Log stream', url });
  if (links.targetGroup) out.push({ label: 'Target group', url: links.targetGroup });
  if (links.serviceRevisions) out.push({ label: 'Service revisions', url: links.serviceRevisions });
  return out;
}

/**
 * The headline of a report in the analyzer's own words, for subjects, headers and previews:
 * `<Service>: <meaning of the category> (<category>)`, e.g. `web: the program cannot load a module,
 * package, class or dependency (app_import_error)`. Nothing quoted from a log or an event's free text
 * is in it (the root-cause title may quote what a log said; it appears only in the body), so a log
 * line cannot write the subject of an e-mail or the header of a Slack post. The service comes from
 * the event (ECS names: letters, digits, `-` and `_`), the category and its meaning from the taxonomy.
 */
export function headline(report: RcaReport): string {
  const category = report.rootCause.category;
  return `${serviceLabel(report)}: ${CATEGORIES[category]?.meaning ?? 'cause not determined'} (${category})`;
}

/** Cluster name from a cluster ARN (`arn:aws:ecs:…:cluster/NAME`), or the value itself if not an ARN. */
export function clusterName(clusterArn: string | undefined): string | undefined {
  return clusterArn ? lastSegment(clusterArn) || undefined : undefined;
}

/** The service name, else the task definition family, else `standalone task`. */
export function serviceLabel(report: RcaReport): string {
  if (report.resource.serviceName) return report.resource.serviceName;
  const family = report.resource.taskDefinitionArn?.split('task-definition/')[1]?.split(':')[0];
  return family ? `task family ${family}` : 'standalone task';
}
