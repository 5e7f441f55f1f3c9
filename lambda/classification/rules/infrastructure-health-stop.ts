import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { analysedTasks, cite, stoppedReasons } from '../evidence-text';

/**
 * ECS stopped the task with stop code `InfrastructureHealth`: the infrastructure it ran on (the host or
 * the Fargate capacity) was found unhealthy, which the task's configuration did not cause.
 */
export const infrastructureHealthStop: Rule = {
  id: 'infrastructure-health-stop',
  category: 'platform_error',
  title: 'Task stopped because its infrastructure was unhealthy',
  remediation: [
    'Nothing in the task needs fixing: services start a replacement; standalone tasks must be started again by their scheduler.',
    'If it recurs on EC2, check the container instance\'s health (agent connection, instance status checks) and replace the instance.',
  ],
  sources: ['https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html'],
  match(evidence) {
    const tasks = analysedTasks(evidence);
    if (tasks.length === 0) return NOT_APPLICABLE;
    const task = tasks.find((t) => t.stopCode === 'InfrastructureHealth');
    if (!task) return NO_MATCH;
    const reason = stoppedReasons(evidence).find((r) => r.taskArn === task.taskArn);
    return {
      status: 'match',
      findings: [
        {
          title: 'ECS stopped the task because the infrastructure under it was unhealthy',
          explanation: 'The stop code `InfrastructureHealth` says ECS stopped the task because of the health of the infrastructure it ran on, not because of the task itself.',
          confidence: 0.8,
          evidence: [{ source: 'stopCode', text: 'InfrastructureHealth', taskArn: task.taskArn }, ...(reason ? [cite(reason)] : [])],
          scope: 'task',
          taskArn: task.taskArn,
        },
      ],
    };
  },
};
