import { containerDefinition, taskDefinition } from '../../helpers/evidence';
import type { RuleCases } from '../rule-tester';

// A one-off task (RunTask from an EventBridge schedule) whose job container finished.
const job = { group: 'family:nightly-report', startedBy: 'events-rule/nightly-report', stopCode: 'EssentialContainerExited' };
const ENDED = 'Essential container in task exited';

export const cases: RuleCases = {
  match: [
    {
      name: 'a non-essential Datadog agent killed with 137 after the job container exited 0',
      stoppedReason: ENDED,
      task: {
        ...job,
        containers: [
          { name: 'report', exitCode: 0 },
          { name: 'datadog-agent', image: 'public.ecr.aws/datadog/agent:7', exitCode: 137 },
        ],
      },
      evidence: { taskDefinition: taskDefinition([containerDefinition('report'), containerDefinition('datadog-agent', { essential: false })]) },
      cites: ENDED,
      rootCause: true,
    },
    {
      name: 'an X-Ray daemon sidecar stopped with SIGTERM, its essential flag unknown (no task definition)',
      stoppedReason: ENDED,
      task: { ...job, containers: [{ name: 'report', exitCode: 0 }, { name: 'xray-daemon', image: 'public.ecr.aws/xray/aws-xray-daemon:3.x', exitCode: 143 }] },
      cites: ENDED,
      rootCause: true,
    },
  ],
  noMatch: [
    {
      name: 'the job container itself failed while its sidecar was killed',
      stoppedReason: ENDED,
      task: { ...job, containers: [{ name: 'report', exitCode: 1 }, { name: 'datadog-agent', image: 'public.ecr.aws/datadog/agent:7', exitCode: 137 }] },
    },
    {
      name: 'an application container of unknown essential flag killed with 137',
      stoppedReason: ENDED,
      task: { ...job, containers: [{ name: 'report', exitCode: 0 }, { name: 'worker', exitCode: 137 }] },
    },
  ],
};
