import { className } from '../own-words';
import type { Evidence } from '../../evidence/types';
import type { Category } from '../taxonomy';
import { NO_MATCH, NOT_APPLICABLE, type Rule, type RuleFinding } from '../types';
import { analysedTasks, cite, type TextSource } from '../evidence-text';
import { isEssential, stoppedByExit } from '../container-exit';
import { FATAL_FORMS } from '../fatal-forms';
import { fatalLines } from '../fatal-lines';
import { logStreams } from '../log-patterns';

// What the line's category means, said after "The line …".
const MEANING: Partial<Record<Category, string>> = {
  dependency_auth_failed: 'says a dependency (database, cache, broker) rejected the credentials',
  dependency_unreachable: 'says a dependency could not be reached (refused, timed out or not resolved)',
  permission_denied: 'says the program was refused a file, directory or operation',
  app_config_missing: 'says its configuration is missing or invalid',
  port_bind_failed: 'says the program could not listen on its port',
  oom_killed: 'says the program ran out of memory',
  app_import_error: 'says the program could not load a module, framework or class it needs',
  container_command_invalid: 'says the shell could not run a command of the container (not found, not executable)',
};

const STEPS: Partial<Record<Category, string>> = {
  dependency_auth_failed: "Compare the credentials the task receives (its `secrets`/`environment`) with the dependency's; after a secret rotation, force a new deployment so tasks read the new value.",
  dependency_unreachable: "Check the dependency's endpoint, port, security groups and DNS name as the task sees them (ECS Exec into a running task of the same definition).",
  permission_denied: 'Check the user the container runs as (`user` in the task definition, `USER` in the Dockerfile), file ownership in the image, and `readonlyRootFilesystem`.',
  app_config_missing: 'Fix the configuration the line names (config file in the image, environment variables or secrets of the task definition), then deploy again.',
  container_command_invalid: "Check `entryPoint`/`command` and the scripts they run: every program they call must exist in the image and be executable.",
};

/** How sure the line is the cause: its container exited non-zero and that exit stopped the task. */
function confidenceOf(evidence: Evidence, line: TextSource): { confidence: number; exitCode?: number } | undefined {
  const tasks = analysedTasks(evidence);
  const task = tasks.find((t) => t.taskArn === line.taskArn) ?? (tasks.length === 1 ? tasks[0] : undefined);
  if (!task) return { confidence: 0.4 };
  const container = line.containerName ? task.containers.find((c) => c.name === line.containerName) : task.containers.length === 1 ? task.containers[0] : undefined;
  const code = container?.exitCode;
  if (code === 0) return undefined; // the program ended cleanly: the line was not fatal
  if (!container) {
    const exited = stoppedByExit(task) && task.containers.some((c) => c.exitCode !== undefined && c.exitCode !== 0 && isEssential(evidence, c.name, c.essential));
    return { confidence: exited ? 0.55 : 0.4 };
  }
  const byThisExit = code !== undefined && code !== 143 && stoppedByExit(task) && isEssential(evidence, container.name, container.essential);
  return { confidence: byThisExit ? 0.6 : 0.4, ...(code !== undefined ? { exitCode: code } : {}) };
}

/**
 * The line that ended the program, for any mainstream runtime or sidecar (see `fatal-forms.ts`), with
 * the category its exception class or words imply. A fallback below the specific rules: when one of them
 * recognises the failure it outranks this finding or merges with it; when none does, the root cause is
 * this line — never a bare exit code while a fatal line exists.
 */
export const fatalLogLine: Rule = {
  id: 'fatal-log-line',
  logPatterns: FATAL_FORMS.map((form) => form.pattern),
  category: 'app_crash',
  title: 'The line that ended the program (any runtime or sidecar: Python, Node.js, JVM, Go, .NET, Ruby, PHP, Rust, Elixir, C/C++, shells, nginx, Envoy, Fluent Bit, OpenTelemetry, Datadog, X-Ray)',
  remediation: [
    "Read the cited line and the lines just before it in the container's log stream: they say why the program stopped.",
    'Reproduce with the same image, command and environment (`docker run --rm --env-file ENVFILE IMAGE`) and fix what the line names.',
  ],
  sources: [...new Set(FATAL_FORMS.flatMap((form) => form.sources))],
  match(evidence) {
    if (logStreams(evidence).length === 0) return NOT_APPLICABLE;
    const findings: RuleFinding[] = [];
    for (const fatal of fatalLines(evidence)) {
      const state = confidenceOf(evidence, fatal.line);
      if (!state) continue;
      const { runtime } = fatal.form;
      // Words the form itself spells out (its class name, a literal its pattern captures, e.g. Envoy's
      // `assert failure`) are ours; a class read from the line must be class-shaped.
      const ours = fatal.exceptionClass !== undefined && (fatal.exceptionClass === fatal.form.className || fatal.form.pattern.source.includes(fatal.exceptionClass));
      const exceptionClass = ours ? fatal.exceptionClass : className(fatal.exceptionClass);
      const name = exceptionClass ? ` (${exceptionClass})` : '';
      const container = fatal.line.containerName ? `\`${fatal.line.containerName}\`` : 'the';
      const steps = [fatal.form.hint, STEPS[fatal.category]].filter((s): s is string => s !== undefined);
      findings.push({
        category: fatal.category,
        title: `${runtime} fatal error${name}${fatal.line.containerName ? ` in container ${fatal.line.containerName}` : ''}`,
        explanation:
          `The last fatal line the ${container} container wrote${state.exitCode !== undefined ? ` before it exited with code ${state.exitCode}` : ''} is this ${runtime} error${name}.` +
          (MEANING[fatal.category] ? ` The line ${MEANING[fatal.category]}.` : ' It ended the program; the lines before it say where.') +
          ' No more specific rule recognised it.',
        confidence: state.confidence,
        evidence: [cite(fatal.line, fatal.index), ...fatal.related.map((r) => cite(r))],
        ...(steps.length > 0 ? { remediation: steps } : {}),
        scope: fatal.line.scope,
        taskArn: fatal.line.taskArn,
      });
    }
    findings.sort((a, b) => b.confidence - a.confidence);
    // One task's lines: a fallback must not outweigh specific rules by counting the tasks it was seen in.
    const kept = findings.filter((f) => f.taskArn === findings[0]?.taskArn).slice(0, 3);
    return kept.length > 0 ? { status: 'match', findings: kept } : NO_MATCH;
  },
};
