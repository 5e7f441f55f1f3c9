import { serviceScalingStop } from '../../../lambda/classification/rules/service-scaling-stop';
import type { Evidence } from '../../../lambda/evidence/types';
import { taskStopped } from '../../helpers/evidence';

const TASK_ID = 'e40314acf865c48e5569a520081e1b5f';
const TASK_ARN = `arn:aws:ecs:eu-west-1:111122223333:task/prod/${TASK_ID}`;
const SCALE_DOWN =
  'Message: Successfully set desired count to 9. Change successfully fulfilled by ecs. Cause: monitor alarm ECS_Service-service-prod_CPUUtilization in state ALARM triggered policy SCALE-DOWN-service/prod/service-prod';
const stopped = Date.parse('2019-07-10T13:58:11Z');

const services = (events: { message: string; at: string }[]): Evidence['services'] => [
  { serviceName: 'service-prod', loadBalancers: [], deployments: [], events: events.map((e, i) => ({ id: `${i}`, createdAt: Date.parse(e.at), message: e.message })) },
];

describe('service-scaling-stop', () => {
  it('cites the auto scaling event that explains a scale-in, then the stopped reason', () => {
    const evidence = taskStopped(
      {
        taskArn: TASK_ARN,
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/5531974026846195712)',
        startedBy: 'ecs-svc/5531974026846195712',
        stoppingAt: stopped,
        containers: [{ name: 'app', exitCode: 0 }],
      },
      {
        services: services([
          { message: `service service-prod has stopped 1 running tasks: task ${TASK_ID}.`, at: '2019-07-10T13:49:10Z' },
          { message: SCALE_DOWN, at: '2019-07-10T13:39:36Z' },
        ]),
      },
    );
    const result = serviceScalingStop.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence.map((e) => e.text)).toEqual([
      SCALE_DOWN,
      'Scaling activity initiated by (deployment ecs-svc/5531974026846195712)',
      `service service-prod has stopped 1 running tasks: task ${TASK_ID}.`,
    ]);
    expect(finding?.title).toBe('Scale-in by service auto scaling');
    expect(finding?.scope).toBe('task');
  });

  it('calls a stop by another deployment a replacement and ignores old scaling events', () => {
    const evidence = taskStopped(
      { stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/222)', startedBy: 'ecs-svc/111', stoppingAt: stopped, containers: [{ name: 'app', exitCode: 143 }] },
      { services: services([{ message: SCALE_DOWN, at: '2019-07-09T10:00:00Z' }]) },
    );
    const result = serviceScalingStop.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toBe('Replaced by deployment ecs-svc/222');
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(['Scaling activity initiated by (deployment ecs-svc/222)']);
  });

  it('is not benign when a container reports a failure', () => {
    const evidence = taskStopped({
      stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/111)',
      containers: [{ name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }],
    });
    expect(serviceScalingStop.match(evidence).status).toBe('no_match');
  });

  it('does not match health-check replacements', () => {
    expect(serviceScalingStop.match(taskStopped({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/1)' })).status).toBe('no_match');
  });

  it('is not applicable to triggers that are not about one stopped task', () => {
    const evidence = taskStopped({ stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)' });
    expect(serviceScalingStop.match({ ...evidence, trigger: { ...evidence.trigger, kind: 'deployment_failed' } }).status).toBe('not_applicable');
  });
});
