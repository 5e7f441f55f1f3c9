import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  deploymentFailedPattern,
  serviceActionPattern,
  serviceRecoveredPattern,
  taskStoppedPattern,
  unhealthyHostAlarmPattern,
} from './event-patterns';

/** Props of {@link TriggerRules}. */
export interface TriggerRulesProps {
  /** The function every rule invokes. */
  readonly target: lambda.IFunction;
  /** Where EventBridge puts events it could not deliver to the function. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Longest time EventBridge keeps retrying a delivery (60 s – 24 h). */
  readonly maxEventAge: Duration;
  /** `arn:...:cluster/<name>` per watched cluster; empty = every cluster. */
  readonly clusterArns: readonly string[];
  /** `arn:...:service/<cluster>/` per watched cluster; empty = every cluster. */
  readonly servicePrefixes: readonly string[];
  /** Only alarms whose name starts with this; undefined = every `UnHealthyHostCount` alarm. */
  readonly alarmNamePrefix?: string;
}

/**
 * The EventBridge rules (on the default event bus, where AWS services send their events) that
 * invoke the analyzer: four triggers of an analysis and the recovery events that close incidents.
 * Their patterns are in `lib/event-patterns.ts`.
 */
export class TriggerRules extends Construct {
  /** The rules by trigger. */
  readonly taskStopped: events.Rule;
  readonly deploymentFailed: events.Rule;
  readonly serviceAction: events.Rule;
  readonly unhealthyHostAlarm: events.Rule;
  /** Deployment completed or service steady state: closes the service's open incidents. */
  readonly serviceRecovered: events.Rule;

  constructor(scope: Construct, id: string, props: TriggerRulesProps) {
    super(scope, id);
    const target = new targets.LambdaFunction(props.target, {
      deadLetterQueue: props.deadLetterQueue,
      maxEventAge: props.maxEventAge,
    });
    const rule = (ruleId: string, description: string, eventPattern: events.EventPattern) =>
      new events.Rule(this, ruleId, { description, eventPattern, targets: [target] });

    this.taskStopped = rule(
      'TaskStopped',
      'ECS task stopped for a reason other than scaling, a user stop, a Spot interruption or a successful job',
      taskStoppedPattern(props.clusterArns),
    );
    this.deploymentFailed = rule(
      'DeploymentFailed',
      'ECS service deployment failed (circuit breaker or alarm rollback)',
      deploymentFailedPattern(props.servicePrefixes),
    );
    this.serviceAction = rule(
      'ServiceAction',
      'ECS service action of type WARN or ERROR (task start impaired, placement failure, ...)',
      serviceActionPattern(props.servicePrefixes),
    );
    this.unhealthyHostAlarm = rule(
      'UnhealthyHostAlarm',
      'CloudWatch alarm on UnHealthyHostCount of an Application, Network or Classic Load Balancer went into ALARM',
      unhealthyHostAlarmPattern(props.alarmNamePrefix),
    );
    this.serviceRecovered = rule(
      'ServiceRecovered',
      'ECS service deployment completed or service steady state: closes the open incidents of the service',
      serviceRecoveredPattern(props.servicePrefixes),
    );
  }
}
