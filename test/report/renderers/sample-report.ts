import type { RcaReport } from '../../../lambda/report/report-schema';

const taskArn = 'arn:aws:ecs:us-east-1:111122223333:task/prod/0123456789abcdef0123456789abcdef';
const logGroupName = '/ecs/backend';
const logStreamName = 'web/app/0123456789abcdef0123456789abcdef';

/**
 * A hand-made, schema-valid report shaped like the seed incident: an import error as root cause, a
 * constructor TypeError contributing, a health-check timeout as symptom and a Docker Hub rate limit
 * dismissed. Renderer tests render it; `withReport` varies it.
 */
export const sampleReport: RcaReport = {
  schema: 'rca-report.v1',
  incidentKey: 'app_import_error-0123456789abcdef',
  trigger: {
    kind: 'task_stopped',
    eventId: '6f0c1d2e-0000-4000-8000-000000000001',
    detailType: 'ECS Task State Change',
    time: '2026-01-15T10:05:00.000Z',
    account: '111122223333',
    region: 'us-east-1',
  },
  resource: {
    clusterArn: 'arn:aws:ecs:us-east-1:111122223333:cluster/prod',
    serviceName: 'backend',
    taskArn,
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:111122223333:task-definition/backend:77',
    deploymentId: 'ecs-svc/1234567890123456789',
    targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/backend-tg/0a1b2c3d4e5f6a7b',
    containers: [{ name: 'web', image: 'example/backend:77', exitCode: 1, reason: 'Essential container in task exited' }],
  },
  alert: true,
  severity: 'high',
  rootCause: {
    category: 'app_import_error',
    ruleId: 'python-module-not-found',
    title: "Python cannot import module 'core.aws_service'",
    explanation: 'The program started but could not import core.aws_service. A dotted local package whose folder lacks __init__.py is not importable.',
    confidence: 0.9,
    evidence: [
      {
        source: 'log',
        text: `{"error": "Integration services initialization failed: No module named 'core.aws_service'"}`,
        timestamp: '2026-01-15T10:00:02.000Z',
        logGroupName,
        logStreamName,
        containerName: 'web',
        taskArn,
      },
    ],
    remediation: [
      'Add an empty `__init__.py` to the `core/` folder and rebuild the image.',
      'Confirm at image build time: `python -c "import core.aws_service"`.',
    ],
  },
  contributing: [
    {
      category: 'app_crash',
      ruleId: 'python-traceback',
      title: 'A constructor was called with missing arguments',
      explanation: 'CaseService.__init__() raised a TypeError during start-up.',
      confidence: 0.7,
      evidence: [
        {
          source: 'log',
          text: `{"error": "Core services import failed: CaseService.__init__() missing 2 required positional arguments: 'db' and 'audit_service'"}`,
          timestamp: '2026-01-15T10:00:01.000Z',
          logGroupName,
          logStreamName,
        },
      ],
      remediation: ['Pass `db` and `audit_service` when constructing CaseService.'],
    },
  ],
  symptoms: [
    {
      category: 'health_check_timeout',
      ruleId: 'target-health-timeout',
      title: 'Load-balancer health checks timed out',
      explanation: 'The target did not answer the health check within 10 seconds.',
      confidence: 0.8,
      evidence: [{ source: 'targetHealth', text: 'Request timed out' }],
      remediation: [],
    },
  ],
  dismissed: [
    {
      category: 'image_pull_rate_limited',
      ruleId: 'image-pull-rate-limited',
      title: 'The registry refused the image pull: rate limit reached',
      explanation: 'An earlier task could not pull its image.',
      confidence: 0.95,
      evidence: [
        {
          source: 'serviceEvent',
          text: 'CannotPullContainerError: toomanyrequests: You have reached your pull rate limit.',
          timestamp: '2026-01-15T09:40:00.000Z',
        },
      ],
      remediation: [],
      reason: 'This task pulled its image and started; the rate limit hit an earlier task.',
    },
  ],
  evidenceGaps: ['Target group settings could not be read: AccessDenied.'],
  links: {
    task: 'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/0123456789abcdef0123456789abcdef/configuration?region=us-east-1',
    service: 'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/backend/health?region=us-east-1',
    logStreams: [
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Fecs$252Fbackend/log-events/web$252Fapp$252F0123456789abcdef0123456789abcdef',
    ],
  },
  analyzedAt: '2026-01-15T10:06:00.000Z',
  analyzerVersion: '0.1.0',
};

/** A copy of the sample report with parts replaced (deep enough for the tests' needs). */
export function withReport(patch: Partial<RcaReport>): RcaReport {
  return { ...structuredClone(sampleReport), ...patch };
}
