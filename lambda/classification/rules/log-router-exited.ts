import type { Evidence, TaskEvidence } from '../../evidence/types';
import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { analysedTasks, cite, logLines, type TextSource } from '../evidence-text';
import { NATIVE_CRASH } from '../runtime-patterns';

// The FireLens log router is an aws-for-fluent-bit, Fluent Bit or Fluentd container; the task definition
// marks it with `firelensConfiguration`, and AWS's examples name it `log_router`.
const ROUTER_IMAGE = /aws-for-fluent-bit|fluent-bit|fluentbit|fluentd/i;
const ROUTER_NAME = /^log[_-]router$/i;
// Fluent Bit prints `[2025/09/23 15:06:54] [error] [config] …`, Fluentd `… [error]: config error …`.
const ERROR_LINE = /\[\s?(?:error|fatal|crit|critical|emerg|alert)\s?\]/i;

/** Names of the log router containers, from the task definition and the containers' images. */
function routerNames(evidence: Evidence, task: TaskEvidence): Set<string> {
  const names = new Set<string>();
  for (const def of evidence.taskDefinition?.containers ?? []) {
    if (def.firelensType || (def.image && ROUTER_IMAGE.test(def.image))) names.add(def.name);
  }
  for (const c of task.containers) {
    if ((c.image && ROUTER_IMAGE.test(c.image)) || ROUTER_NAME.test(c.name)) names.add(c.name);
  }
  return names;
}

const ofStream = (line: TextSource, name: string): boolean =>
  line.containerName === name || (line.containerName === undefined && (line.logStreamName ?? '').includes(`/${name}/`));

/**
 * A FireLens log router (Fluent Bit / Fluentd) exited non-zero: the essential router stops the task, and
 * its own error lines say why (usually its configuration).
 */
export const logRouterExited: Rule = {
  id: 'log-router-exited',
  category: 'log_setup_failed',
  title: 'FireLens log router (Fluent Bit/Fluentd) exited with an error',
  remediation: [
    'Fix the log router configuration the error lines point at (the custom config file in `firelensConfiguration.options.config-file-value`, or the `logConfiguration.options` of the application container).',
    'Pin the router image to a tested version instead of a moving tag such as `stable` or `latest`, and test new router versions before rolling them out.',
    'Consider `essential: false` for the router with a `dependsOn` from the application, if losing logs is better than losing the task.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/firelens-taskdef.html',
  ],
  match(evidence) {
    const tasks = analysedTasks(evidence);
    if (tasks.length === 0) return NOT_APPLICABLE;
    const lines = logLines(evidence);
    for (const task of tasks) {
      const names = routerNames(evidence, task);
      for (const container of task.containers) {
        if (!names.has(container.name) || container.exitCode === undefined || container.exitCode === 0) continue;
        const own = lines.filter((line) => ofStream(line, container.name));
        // A router that crashed (`[engine] caught signal (SIGSEGV)`, a segmentation fault) died of the crash,
        // not of the output errors it logged before it: that is the native-crash rule's finding (app_crash).
        if (own.some((line) => NATIVE_CRASH.test(line.text))) continue;
        const errors = own.filter((line) => ERROR_LINE.test(line.text));
        const exit: EvidenceItem = { source: 'exitCode', text: String(container.exitCode), containerName: container.name, taskArn: task.taskArn };
        // Without its own error lines, a non-zero router exit may just follow the task being stopped:
        // keep it a weak hint (below the ranker's confidence bar) so it never outranks a real fault.
        const confident = errors.length > 0;
        return {
          status: 'match',
          findings: [
            {
              title: `The log router container \`${container.name}\` exited with code ${container.exitCode}`,
              explanation: confident
                ? `\`${container.name}\` is the task's FireLens log router (${container.image ?? 'Fluent Bit/Fluentd'}). It logged the errors below and exited with code ${container.exitCode}; as an essential container its exit stopped the whole task, whatever the application was doing.`
                : `\`${container.name}\` is the task's FireLens log router and exited with code ${container.exitCode}, but none of its own log lines were available to say why.`,
              confidence: confident ? 0.9 : 0.45,
              evidence: [...errors.slice(0, 3).map((line) => cite(line)), exit],
              scope: 'task',
              taskArn: task.taskArn,
            },
          ],
        };
      }
    }
    return NO_MATCH;
  },
};
