import { createHash } from 'node:crypto';
import type { Evidence, TaskEvidence } from '../evidence/types';
import type { Classification } from '../classification/classify';
import type { RankedFindings } from '../classification/rank';
import { analysedTasks, primaryTask } from '../classification/evidence-text';
import { appLogsNotice } from '../classification/app-logs';
import { truncationGaps } from '../classification/truncated-logs';
import { containerRole, essentialFlag } from '../classification/container-roles';
import { actionableRemediation } from './remediation';
import { CATEGORIES } from '../classification/taxonomy';
import type { Finding, RcaReport, Severity } from './report-schema';
import { ANALYZER_VERSION } from '../shared/version';
import { deploymentOfStartedBy, lastSegment, serviceOfGroup } from '../evidence/ecs-names';
import { wellFormed } from '../shared/text';


interface ResourceFacts {
  clusterArn?: string;
  serviceName?: string;
  deploymentId?: string;
  taskArn?: string;
  taskDefinitionArn?: string;
  targetGroupArn?: string;
  task?: TaskEvidence;
}

function resourceFacts(evidence: Evidence): ResourceFacts {
  const { trigger } = evidence;
  const task = primaryTask(evidence) ?? analysedTasks(evidence)[0];
  return {
    clusterArn: trigger.clusterArn ?? task?.clusterArn ?? evidence.services[0]?.clusterArn,
    serviceName: trigger.serviceName ?? serviceOfGroup(task?.group) ?? evidence.services[0]?.serviceName,
    deploymentId: trigger.deploymentId ?? deploymentOfStartedBy(task?.startedBy),
    taskArn: task?.taskArn,
    taskDefinitionArn: task?.taskDefinitionArn ?? evidence.taskDefinition?.taskDefinitionArn,
    targetGroupArn: trigger.targetGroupArn ?? evidence.targetHealth[0]?.targetGroupArn,
    task,
  };
}

/**
 * The incident key: the same failure (root-cause category) of the same workload (account, cluster,
 * service — or task family for standalone tasks —, deployment or task definition) gives the same key,
 * whichever task or event showed it. Format: `<category>-<16 hex>`; safe in S3 keys and DynamoDB.
 */
export function incidentKey(evidence: Evidence, category: string): string {
  const facts = resourceFacts(evidence);
  const workload = facts.serviceName ?? facts.task?.group ?? facts.targetGroupArn ?? '';
  const version = facts.deploymentId ?? facts.taskDefinitionArn ?? '';
  const material = [evidence.trigger.account, facts.clusterArn ?? '', workload, version, category].join('|');
  return `${category}-${createHash('sha256').update(material).digest('hex').slice(0, 16)}`;
}

/** Severity from the alert decision, the trigger and whether a service is affected. */
function severityOf(evidence: Evidence, alert: boolean, category: string, serviceName: string | undefined): Severity {
  if (!alert) return 'info';
  if (evidence.trigger.kind === 'deployment_failed' || evidence.trigger.kind === 'target_unhealthy') return 'critical';
  if (category === 'unknown') return 'medium';
  return serviceName ? 'high' : 'medium';
}

const consoleBase = (region: string): string => `https://${region}.console.aws.amazon.com`;

/**
 * CloudWatch console deep links encode path parts twice, with `$25` for `%`
 * (e.g. `/ecs/web` → `$252Fecs$252Fweb`), as the console itself does.
 */
// Console links never fail on text: a lone surrogate would make encodeURIComponent throw.
const uri = (value: string): string => encodeURIComponent(wellFormed(value));
const cwEncode = (value: string): string => encodeURIComponent(uri(value)).replace(/%/g, '$');

function links(evidence: Evidence, facts: ResourceFacts): RcaReport['links'] {
  const region = evidence.trigger.region;
  const base = consoleBase(region);
  const cluster = facts.clusterArn ? lastSegment(facts.clusterArn) : undefined;
  const result: RcaReport['links'] = {};
  if (cluster && facts.task) result.task = `${base}/ecs/v2/clusters/${uri(cluster)}/tasks/${facts.task.taskId}/configuration?region=${region}`;
  if (cluster && facts.serviceName) result.service = `${base}/ecs/v2/clusters/${uri(cluster)}/services/${uri(facts.serviceName)}/health?region=${region}`;
  const streams = evidence.logs.map(
    (s) => `${base}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${cwEncode(s.logGroupName)}/log-events/${cwEncode(s.logStreamName)}`,
  );
  if (streams.length > 0) result.logStreams = streams.slice(0, 5);
  if (facts.targetGroupArn) result.targetGroup = `${base}/ec2/home?region=${region}#TargetGroup:targetGroupArn=${facts.targetGroupArn}`;
  return result;
}

/**
 * The container whose failure the root cause describes: the one its evidence names, else an essential
 * container with a reason or a non-zero exit code. None for a benign stop.
 */
function failedContainer(evidence: Evidence, task: TaskEvidence | undefined, root: Finding): string | undefined {
  if (!task || root.category === 'benign_stop') return undefined;
  const names = new Set(task.containers.map((c) => c.name));
  const named = root.evidence.find((e) => e.containerName && names.has(e.containerName) && (!e.taskArn || e.taskArn === task.taskArn))?.containerName;
  if (named) return named;
  const failing = task.containers.filter((c) => c.reason || (c.exitCode !== undefined && c.exitCode !== 0));
  return (failing.find((c) => essentialFlag(evidence, c) !== false) ?? failing[0])?.name;
}

/** The analysed task's containers with their exit codes, reasons, roles and whether essential. */
function containerSummaries(evidence: Evidence, task: TaskEvidence | undefined, root: Finding): RcaReport['resource']['containers'] {
  const failed = failedContainer(evidence, task, root);
  return (task?.containers ?? []).map((c) => {
    const essential = essentialFlag(evidence, c);
    return {
      name: c.name,
      ...(c.image ? { image: c.image } : {}),
      ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(essential !== undefined ? { essential } : {}),
      role: containerRole(evidence, c),
      ...(c.name === failed ? { failed: true } : {}),
    };
  });
}

/**
 * Builds the `rca-report.v1` object from the evidence and the ranked findings. Pure.
 * @param analyzedAt ISO-8601 time of the analysis.
 */
export function buildReport(evidence: Evidence, rankedFindings: RankedFindings, classification: Classification, analyzedAt: string): RcaReport {
  const facts = resourceFacts(evidence);
  const ranked = actionableRemediation(evidence, facts.task, failedContainer(evidence, facts.task, rankedFindings.rootCause), rankedFindings);
  const category = ranked.rootCause.category;
  const alert = CATEGORIES[category].alert;
  const { trigger } = evidence;
  const applicationLogs = appLogsNotice(evidence);
  return {
    schema: 'rca-report.v1',
    incidentKey: incidentKey(evidence, category),
    trigger: {
      kind: trigger.kind,
      eventId: trigger.eventId,
      detailType: trigger.detailType,
      time: trigger.time,
      account: trigger.account,
      region: trigger.region,
    },
    resource: {
      ...(facts.clusterArn ? { clusterArn: facts.clusterArn } : {}),
      ...(facts.serviceName ? { serviceName: facts.serviceName } : {}),
      ...(facts.taskArn ? { taskArn: facts.taskArn } : {}),
      ...(facts.taskDefinitionArn ? { taskDefinitionArn: facts.taskDefinitionArn } : {}),
      ...(facts.deploymentId ? { deploymentId: facts.deploymentId } : {}),
      ...(facts.targetGroupArn ? { targetGroupArn: facts.targetGroupArn } : {}),
      ...(facts.task?.stoppedReason ? { stoppedReason: facts.task.stoppedReason } : {}),
      ...(facts.task?.stopCode ? { stopCode: facts.task.stopCode } : {}),
      containers: containerSummaries(evidence, facts.task, ranked.rootCause),
    },
    alert,
    severity: severityOf(evidence, alert, category, facts.serviceName),
    rootCause: ranked.rootCause,
    contributing: ranked.contributing,
    symptoms: ranked.symptoms,
    dismissed: ranked.dismissed,
    evidenceGaps: [...evidence.gaps, ...truncationGaps(evidence)],
    ...(applicationLogs ? { applicationLogs } : {}),
    links: links(evidence, facts),
    analyzedAt,
    analyzerVersion: ANALYZER_VERSION,
    ...(classification.errors.length > 0 ? { ruleErrors: classification.errors } : {}),
  };
}
