import { lastSegment } from '../../evidence/ecs-names';
import type { Changes, RcaReport } from '../report-schema';
import { printable } from './summary';

/**
 * The "What changed" block every renderer shows, as plain lines each renderer escapes its own way:
 * a headline (baseline → current and the deployment's state), at most `maxItems` change items (those
 * behind the root cause first, marked), who made the change, and the console link to the service's
 * deployments and revisions. Pure.
 */

/** The block's parts; `undefined` from `whatChanged` when the report has no `changes`. */
export interface WhatChanged {
  headline: string;
  items: string[];
  /** Items not listed (they are in the JSON report). */
  more: number;
  actor?: string;
  link?: string;
}

/** How many change items a notification lists. */
export const WHAT_CHANGED_ITEMS = 4;

const revisionName = (ref: Changes['baseline']): string =>
  ref.taskDefinitionArn ? lastSegment(ref.taskDefinitionArn) : ref.serviceRevisionArn ? `revision ${lastSegment(ref.serviceRevisionArn)}` : 'unknown revision';

const BASELINE_LABEL: Record<Changes['baseline']['source'], string> = {
  service_revision: 'previous service revision',
  service_deployments: "the service's previous deployment",
  task_definition_family: 'previous revision of the task-definition family',
  task: "the task's task definition",
};

function headline(changes: Changes): string {
  const { baseline, current } = changes;
  const state = current.status ? ` (deployment ${current.status}${current.statusReason ? `: ${current.statusReason}` : ''})` : '';
  const compared = `${revisionName(baseline)} → ${revisionName(current)}, against the ${BASELINE_LABEL[baseline.source]}${state}`;
  if (changes.unchanged) return `No task-definition change: ${compared}; same task definition and image digests.`;
  return `${compared}.`;
}

/** The block's parts for `report`, or `undefined` when it has no `changes` section. */
export function whatChanged(report: RcaReport, maxItems = WHAT_CHANGED_ITEMS): WhatChanged | undefined {
  const changes = report.changes;
  if (!changes) return undefined;
  const root = new Set(report.rootCause.changeRefs ?? []);
  const ordered = [...changes.items.filter((i) => root.has(i.id)), ...changes.items.filter((i) => !root.has(i.id))];
  const items = ordered.slice(0, maxItems).map((i) => printable(`${i.summary}${root.has(i.id) ? ' (behind the root cause)' : ''}`));
  const { actor } = changes;
  const by = actor
    ? printable(`${actor.eventName} by ${actor.principal ?? 'an unknown principal'}${actor.eventTime ? ` at ${actor.eventTime}` : ''}${actor.userAgent ? ` (${actor.userAgent})` : ''}`)
    : undefined;
  return {
    headline: printable(headline(changes)),
    items,
    more: ordered.length - items.length,
    ...(by ? { actor: by } : {}),
    ...(report.links.serviceRevisions ? { link: report.links.serviceRevisions } : {}),
  };
}

/** The block as plain lines (`- item`, `Changed by: …`, `Service revisions: URL`), for text bodies. */
export function whatChangedLines(report: RcaReport, maxItems = WHAT_CHANGED_ITEMS): string[] {
  const block = whatChanged(report, maxItems);
  if (!block) return [];
  return [
    block.headline,
    ...block.items.map((i) => `- ${i}`),
    ...(block.more > 0 ? [`- (+${block.more} more in the JSON report)`] : []),
    ...(block.actor ? [`Changed by: ${block.actor}`] : []),
    ...(block.link ? [`Service revisions: ${block.link}`] : []),
  ];
}
