import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { AnalyzerFunction, HANDLER_ENTRY, type HandlerEnvironment } from './analyzer-function';
import { AnalyzerPermissions, type AnalyzerPermissionsProps } from './analyzer-permissions';
import type { AnalyzerSettings } from './config';
import { acknowledgeWildcards, type WildcardStatement } from './nag-acknowledgements';
import { ecsResourcePattern } from './resource-names';

/** The hook handler entry the function bundles (beside the analyzer's `lambda/handler/index.ts`). */
export const HOOK_ENTRY = path.join(path.dirname(HANDLER_ENTRY), '..', 'hook', 'index.ts');

/**
 * Function timeout: the polls (a few ECS calls of `CALL_TIMEOUT_MS` each) plus, for a failing
 * deployment, the analysis and its delivery (60 s, `lambda/hook/hook-deps.ts`), with room to answer.
 */
export const HOOK_TIMEOUT_SECONDS = 120;

/** The hook's own environment variables, on top of the analyzer's (see `lambda/hook/config.ts`). */
export interface HookEnvironment extends HandlerEnvironment {
  readonly HOOK_FAIL_CLOSED: string;
  readonly HOOK_HEALTHY_SECONDS: string;
  readonly HOOK_CALLBACK_DELAY_SECONDS: string;
  readonly HOOK_MAX_WAIT_SECONDS: string;
}

/** Props of {@link DeploymentHook}. */
export interface DeploymentHookProps {
  readonly settings: AnalyzerSettings;
  /** The analyzer's environment without its state table (the hook keeps no state; its answers carry it). */
  readonly environment: HandlerEnvironment;
  /** What the hook may read and where it delivers: the analyzer's permissions without the dead-letter queue and the table. */
  readonly permissions: Omit<AnalyzerPermissionsProps, 'settings' | 'role' | 'deadLetterQueueArn' | 'deadLetterQueueKeyArn' | 'stateTableArn'>;
  /** Override of the bundled entry (tests). Default {@link HOOK_ENTRY}. */
  readonly entry?: string;
}

const SAR_ECS = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html';

/**
 * The ECS deployment lifecycle hook: a Lambda function that follows the new service revision's tasks
 * and answers ECS SUCCEEDED, FAILED (after delivering the report like any incident) or IN_PROGRESS
 * (`lambda/hook/`), and the IAM role ECS assumes to invoke it.
 *
 * - Services in the same CDK app opt in with `service.addLifecycleHook(hook.lifecycleHookTarget([...]))`;
 *   others with the function and invoke-role ARNs (stack outputs) in their `deploymentConfiguration.lifecycleHooks`.
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html
 * - The function's role gets the analyzer's permissions (the same collectors and sinks) without the
 *   dead-letter queue and the state table, plus the service-deployment reads of the polls.
 * - The function is an {@link AnalyzerFunction} (same bundling, architecture, tracing, own log group
 *   and role) invoked synchronously by ECS: no asynchronous retries, on-failure destination or
 *   reserved concurrency apply.
 */
export class DeploymentHook extends Construct {
  /** The hook function (`hookTargetArn` of a lifecycle hook). */
  readonly function: nodejs.NodejsFunction;
  /** The role ECS assumes to invoke the function (`roleArn` of a lifecycle hook). */
  readonly invokeRole: iam.Role;
  /** The function with its execution role and log group. */
  readonly lambda: AnalyzerFunction;

  constructor(scope: Construct, id: string, props: DeploymentHookProps) {
    super(scope, id);
    const { settings } = props;
    const environment: HookEnvironment = {
      ...props.environment,
      POWERTOOLS_SERVICE_NAME: `${settings.serviceName}-hook`,
      HOOK_FAIL_CLOSED: String(settings.hookFailClosed),
      HOOK_HEALTHY_SECONDS: String(settings.hookHealthySeconds),
      HOOK_CALLBACK_DELAY_SECONDS: String(settings.hookCallbackDelaySeconds),
      HOOK_MAX_WAIT_SECONDS: String(settings.hookMaxWaitSeconds),
    };
    // The analyzer's function construct (bundling, arm64, tracing, own log group and role), invoked synchronously.
    this.lambda = new AnalyzerFunction(this, 'Lambda', {
      settings,
      environment,
      entry: props.entry ?? HOOK_ENTRY,
      timeoutSeconds: HOOK_TIMEOUT_SECONDS,
      description: 'ECS deployment lifecycle hook: rolls back a deployment whose new tasks fail, with the root cause',
      roleDescription: 'ECS deployment lifecycle hook: follows the new revision, analyses and reports a failing deployment',
    });
    this.function = this.lambda.function;
    new AnalyzerPermissions(this, 'Permissions', { settings, role: this.lambda.role, ...props.permissions });
    this.grantDeploymentReads(settings);

    this.invokeRole = new iam.Role(this, 'InvokeRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Assumed by Amazon ECS to invoke the deployment lifecycle hook function',
    });
    this.invokeRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'InvokeHook', actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] }),
    );
  }

  /**
   * A lifecycle hook target for a service of the same app:
   * `service.addLifecycleHook(hook.lifecycleHookTarget([ecs.DeploymentLifecycleStage.POST_SCALE_UP]))`.
   * It uses this construct's invoke role, so no role is created per service.
   *
   * @param stages the lifecycle stages to run at; default POST_SCALE_UP (the new tasks run, no traffic yet).
   * @param id construct id of the target, unique per service.
   */
  lifecycleHookTarget(
    stages: ecs.DeploymentLifecycleStage[] = [ecs.DeploymentLifecycleStage.POST_SCALE_UP],
    id = 'EcsIncidentAnalyzerHook',
  ): ecs.DeploymentLifecycleLambdaTarget {
    return new ecs.DeploymentLifecycleLambdaTarget(this.function, id, { role: this.invokeRole, lifecycleStages: stages });
  }

  /** The reads of the polls: ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions. */
  private grantDeploymentReads(settings: AnalyzerSettings): void {
    const stack = Stack.of(this);
    const clusters = settings.clusters.length > 0 ? settings.clusters.map((c) => c.split('/').pop() ?? c) : ['*'];
    const arn = (type: string, cluster: string) => stack.formatArn({ service: 'ecs', resource: type, resourceName: `${cluster}/*` });
    const entries: WildcardStatement[] = [
      {
        reason:
          'The service and its deployments are only known when ECS invokes the hook; scoped to the watched clusters when ' +
          `clusters are configured (${SAR_ECS}: service, service-deployment and service-revision resource types).`,
        statement: new iam.PolicyStatement({
          sid: 'ReadServiceDeployments',
          actions: ['ecs:ListServiceDeployments', 'ecs:DescribeServiceDeployments', 'ecs:DescribeServiceRevisions'],
          resources: [
            ...(settings.clusters.length > 0 ? settings.clusters.map((c) => ecsResourcePattern(this, 'service', c)) : [ecsResourcePattern(this, 'service')]),
            ...clusters.flatMap((c) => [arn('service-deployment', c), arn('service-revision', c)]),
          ],
        }),
      },
    ];
    const policy = new iam.Policy(this, 'DeploymentReads', { statements: entries.map((e) => e.statement), roles: [this.lambda.role] });
    acknowledgeWildcards(policy, entries);
  }
}
