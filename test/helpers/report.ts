import type { Finding, RcaReport } from '../../lambda/report/report-schema';

const TASK_ARN = 'arn:aws:ecs:us-east-1:111122223333:task/app-prod/897554d20419d4b529c83f1543116463';

/** A valid `Finding`; override any part. */
export function sampleFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    category: 'app_import_error',
    ruleId: 'python-module-not-found',
    title: "Python cannot import module 'app.handlers'",
    explanation:
      "The container's Python process exited during start-up because `app.handlers` could not be imported. The package folder has no `__init__.py`, so Python does not treat it as a package.",
    confidence: 0.92,
    evidence: [
      {
        source: 'log',
        text: "ModuleNotFoundError: No module named 'app.handlers'",
        timestamp: '2026-01-15T09:59:58.000Z',
        logGroupName: '/ecs/web',
        logStreamName: 'web/app/897554d20419d4b529c83f1543116463',
        containerName: 'app',
        taskArn: TASK_ARN,
      },
      { source: 'exitCode', text: '1', containerName: 'app', taskArn: TASK_ARN },
    ],
    remediation: [
      'Add an `__init__.py` to the `app/handlers` folder, or install the package so it is importable.',
      'Rebuild the image and run `python -c "import app.handlers"` in it before deploying.',
    ],
    ...overrides,
  };
}

/** A valid `rca-report.v1` for a stopped service task, with every role filled; override any part. */
export function sampleReport(overrides: Partial<RcaReport> = {}): RcaReport {
  return {
    schema: 'rca-report.v1',
    incidentKey: '111122223333:app-prod:web:ecs-svc/456791769860841487:app_import_error',
    trigger: {
      kind: 'task_stopped',
      eventId: 'f04e1a95-29da-79cb-a1ac-ba8b81c322f4',
      detailType: 'ECS Task State Change',
      time: '2026-01-15T10:00:00.000Z',
      account: '111122223333',
      region: 'us-east-1',
    },
    resource: {
      clusterArn: 'arn:aws:ecs:us-east-1:111122223333:cluster/app-prod',
      serviceName: 'web',
      taskArn: TASK_ARN,
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:19',
      deploymentId: 'ecs-svc/456791769860841487',
      targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b',
      containers: [{ name: 'app', image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2', exitCode: 1, reason: 'Essential container in task exited' }],
    },
    alert: true,
    severity: 'high',
    rootCause: sampleFinding(),
    contributing: [
      sampleFinding({
        category: 'app_crash',
        ruleId: 'python-traceback',
        title: "TypeError: __init__() missing 1 required positional argument: 'config'",
        explanation: 'A constructor is called without an argument it requires.',
        confidence: 0.6,
        evidence: [{ source: 'log', text: "TypeError: __init__() missing 1 required positional argument: 'config'" }],
      }),
    ],
    symptoms: [
      sampleFinding({
        category: 'health_check_timeout',
        ruleId: 'target-health-timeout',
        title: 'Load balancer health checks timed out',
        explanation: 'The targets never answered the health check because the program was not running.',
        confidence: 0.8,
        evidence: [{ source: 'targetHealth', text: 'Target.Timeout: Request timed out' }],
      }),
    ],
    dismissed: [
      sampleFinding({
        category: 'image_pull_rate_limited',
        ruleId: 'image-pull-rate-limited',
        title: 'Image pull refused by the registry rate limit',
        explanation: 'A rate-limit message appeared in the service events.',
        confidence: 0.3,
        reason: 'The image was pulled and the program started after that message.',
        evidence: [{ source: 'serviceEvent', text: 'toomanyrequests: You have reached your pull rate limit.' }],
      }),
    ],
    evidenceGaps: ['Log group /ecs/sidecar does not exist (ResourceNotFoundException).'],
    links: {
      task: 'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/app-prod/tasks/897554d20419d4b529c83f1543116463/configuration?region=us-east-1',
      service: 'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/app-prod/services/web/health?region=us-east-1',
      logStreams: [
        'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Fecs$252Fweb/log-events/web$252Fapp$252F897554d20419d4b529c83f1543116463',
      ],
      targetGroup:
        'https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#TargetGroup:targetGroupArn=arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b',
    },
    analyzedAt: '2026-01-15T10:00:03.000Z',
    analyzerVersion: '0.1.0',
    ...overrides,
  };
}
