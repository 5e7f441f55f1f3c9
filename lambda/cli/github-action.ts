import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadInputError } from '../shared/errors';
import { WATCH_EXIT } from './commands/watch';
import type { CliDeps, CliIo } from './context';
import { main } from './main';

/**
 * The GitHub Action (`action.yml` at the repository root): `ecs-rca watch` with the action's inputs.
 * GitHub passes input `name` as the environment variable `INPUT_<NAME>` (upper case, spaces as `_`,
 * hyphens kept: `fail-on` → `INPUT_FAIL-ON`).
 * https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax (inputs)
 * The watch writes the job summary, the outputs and the `::error` annotation itself (`../deployment/ci-output.ts`).
 * The bundle `action/dist/index.js` is built from `bin/github-action.ts` by `npm run build:action`.
 */

/** The action's inputs. */
export interface ActionInputs {
  cluster: string;
  service: string;
  region?: string;
  /** A duration as `ecs-rca watch --timeout` takes it. */
  timeout: string;
  /** `failure`: the step fails when the deployment fails or times out; `never`: it only reports. */
  failOn: 'failure' | 'never';
}

/** The value of input `name` (`INPUT_<NAME>`), trimmed; undefined when unset or empty. */
export function actionInput(env: CliIo['env'], name: string): string | undefined {
  return env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim() || undefined;
}

/**
 * Reads and checks the inputs.
 *
 * @throws BadInputError naming the input that is missing or invalid.
 */
export function actionInputs(env: CliIo['env']): ActionInputs {
  const cluster = actionInput(env, 'cluster');
  const service = actionInput(env, 'service');
  if (!cluster) throw new BadInputError("input 'cluster' is required: the ECS cluster name or ARN");
  if (!service) throw new BadInputError("input 'service' is required: the ECS service name or ARN");
  const failOn = actionInput(env, 'fail-on') ?? 'failure';
  if (failOn !== 'failure' && failOn !== 'never') throw new BadInputError(`input 'fail-on' is '${failOn}': expected 'failure' or 'never'`);
  const region = actionInput(env, 'region');
  return { cluster, service, ...(region ? { region } : {}), timeout: actionInput(env, 'timeout') ?? '20m', failOn };
}

/** The `ecs-rca watch` arguments of the inputs; the JSON report goes to `reportPath`. */
export function watchArguments(inputs: ActionInputs, reportPath: string): string[] {
  return [
    'watch',
    '--cluster',
    inputs.cluster,
    '--service',
    inputs.service,
    ...(inputs.region ? ['--region', inputs.region] : []),
    '--timeout',
    inputs.timeout,
    '--report-file',
    reportPath,
  ];
}

/** Escapes a workflow-command message (`%`, CR, LF). */
function commandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * Runs the action and resolves to the process exit code: the watch's (`WATCH_EXIT`), except that with
 * `fail-on: never` a failed or timed-out deployment exits 0. Bad inputs exit 2 with an `::error` line.
 */
export async function runAction(io: CliIo, deps: Partial<CliDeps> = {}): Promise<number> {
  let inputs: ActionInputs;
  try {
    inputs = actionInputs(io.env);
  } catch (error) {
    io.stdout(`::error title=ecs-rca::${commandData((error as Error).message)}\n`);
    return WATCH_EXIT.badInput;
  }
  const reportPath = join(io.env.RUNNER_TEMP || tmpdir(), 'ecs-rca-report.json');
  const code = await main(watchArguments(inputs, reportPath), io, deps);
  return inputs.failOn === 'never' && (code === WATCH_EXIT.failed || code === WATCH_EXIT.timeout) ? WATCH_EXIT.succeeded : code;
}
