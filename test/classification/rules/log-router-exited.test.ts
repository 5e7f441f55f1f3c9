import { logRouterExited } from '../../../lambda/classification/rules/log-router-exited';
import { containerDefinition, taskDefinition, taskStopped } from '../../helpers/evidence';

const TASK_ID = '466c464b1ea8b9e585dda67daf3472b5';
const routerLogs = (...messages: string[]) => [
  {
    logGroupName: '/ecs/web',
    logStreamName: `ecs/log_router/${TASK_ID}`,
    containerName: 'log_router',
    events: messages.map((message, i) => ({ timestamp: 1758640014000 + i, message })),
  },
];
const containers = [
  { name: 'log_router', image: 'amazon/aws-for-fluent-bit:stable', exitCode: 1 },
  { name: 'app', image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:5.14.2' },
];

describe('log-router-exited', () => {
  it('matches a Fluent Bit router that exited 1 and cites its first error line', () => {
    const evidence = taskStopped(
      { taskArn: `arn:aws:ecs:eu-west-1:111122223333:task/web-prod/${TASK_ID}`, stoppedReason: 'Essential container in task exited', containers },
      {
        logs: routerLogs(
          'Fluent Bit v1.9.10',
          "[2025/09/23 15:06:54] [error] [config] section 'env' is missing the 'name' property",
          '[2025/09/23 15:06:54] [error] configuration file contains errors, aborting.',
        ),
      },
    );
    const result = logRouterExited.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence[0]?.text).toContain("[error] [config] section 'env' is missing the 'name' property");
    expect(finding?.evidence.some((e) => e.source === 'exitCode' && e.text === '1')).toBe(true);
    expect(finding?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('recognises the router from firelensConfiguration and stays a weak hint without its logs', () => {
    const evidence = taskStopped(
      { containers: [{ name: 'logs', image: 'example/custom-router:1', exitCode: 2 }] },
      { taskDefinition: taskDefinition([containerDefinition('logs', { firelensType: 'fluentbit' })]) },
    );
    const result = logRouterExited.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.confidence).toBeLessThan(0.5);
  });

  it('does not match a router that exited 0 or an app container that exited 1', () => {
    expect(logRouterExited.match(taskStopped({ containers: [{ name: 'log_router', image: 'amazon/aws-for-fluent-bit:2.32.0', exitCode: 0 }] })).status).toBe('no_match');
    expect(logRouterExited.match(taskStopped({ containers: [{ name: 'app', image: 'node:20', exitCode: 1 }] })).status).toBe('no_match');
  });

  it('is not applicable without an analysed task', () => {
    const evidence = taskStopped();
    expect(logRouterExited.match({ ...evidence, tasks: [] }).status).toBe('not_applicable');
  });
});
