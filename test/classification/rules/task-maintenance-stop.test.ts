import { taskMaintenanceStop } from '../../../lambda/classification/rules/task-maintenance-stop';
import { taskStopped } from '../../helpers/evidence';

describe('task-maintenance-stop', () => {
  it('matches Fargate task retirement', () => {
    const reason = 'Service api: ECS is performing maintenance on the underlying infrastructure hosting the task';
    const result = taskMaintenanceStop.match(taskStopped({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: reason }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(reason);
    expect(result.findings[0]?.title).toContain('maintenance');
  });

  it('matches a draining container instance', () => {
    const result = taskMaintenanceStop.match(taskStopped({ stoppedReason: 'Service api: container instance is in DRAINING state' }));
    expect(result.status === 'match' && result.findings[0]?.title).toContain('draining');
  });

  it('does not match an application exit', () => {
    expect(taskMaintenanceStop.match(taskStopped({ stoppedReason: 'Essential container in task exited' })).status).toBe('no_match');
  });
});
