import { analyzeEvidence } from '../../lambda/pipeline/run-analysis';
import { renderJson } from '../../lambda/report/renderers/json';
import { renderMarkdown } from '../../lambda/report/renderers/markdown';
import { renderSlack } from '../../lambda/report/renderers/slack';
import { renderSns } from '../../lambda/report/renderers/sns';
import { renderText } from '../../lambda/report/renderers/text';
import { appLogs, containerDefinition, taskDefinition, taskStopped } from '../helpers/evidence';

const NOW = { now: new Date('2026-01-01T00:00:00Z') };

describe('container roles in the report', () => {
  it('names the failed container, whether it is essential, and each sidecar by its role', () => {
    const evidence = taskStopped(
      {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [
          { name: 'app', image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1', exitCode: 1 },
          { name: 'log_router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', exitCode: 0 },
          { name: 'envoy', image: 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.4.0-prod', exitCode: 143 },
          { name: 'datadog-agent', image: 'public.ecr.aws/datadog/agent:7', exitCode: 143 },
        ],
      },
      {
        logs: appLogs('Traceback (most recent call last):', '  File "/app/main.py", line 1, in <module>', "ModuleNotFoundError: No module named 'flask'"),
        taskDefinition: taskDefinition([
          containerDefinition('app'),
          containerDefinition('log_router', { essential: false, firelensType: 'fluentbit' }),
          containerDefinition('envoy'),
          containerDefinition('datadog-agent', { essential: false }),
        ]),
      },
    );
    const report = analyzeEvidence(evidence, NOW);
    expect(report.resource.containers).toEqual([
      expect.objectContaining({ name: 'app', role: 'application', essential: true, failed: true }),
      expect.objectContaining({ name: 'log_router', role: 'log_router', essential: false }),
      expect.objectContaining({ name: 'envoy', role: 'proxy', essential: true }),
      expect.objectContaining({ name: 'datadog-agent', role: 'agent', essential: false }),
    ]);
    expect(report.resource.containers.filter((c) => c.failed)).toHaveLength(1);
    expect(report.resource).toMatchObject({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    const text = renderText(report);
    expect(text).toContain('app (failed, exit 1, essential)');
    expect(text).toContain('log_router (exit 0, log router, not essential)');
    expect(text).toContain('envoy (exit 143, proxy sidecar, essential)');
    expect(text).toContain('Stop code: EssentialContainerExited');
    expect(text).toContain('Stopped reason: Essential container in task exited');
    // ECS's own words in every format.
    for (const rendered of [
      renderMarkdown(report),
      JSON.stringify(renderSlack(report)),
      renderSns(report).message,
      renderSns(report, { format: 'chatbot' }).message,
      renderJson(report),
    ]) {
      expect(rendered).toContain('EssentialContainerExited');
      expect(rendered).toContain('Essential container in task exited');
    }
    for (const rendered of [renderMarkdown(report), JSON.stringify(renderSlack(report)), renderSns(report).message, renderSns(report, { format: 'chatbot' }).message]) {
      expect(rendered).toContain('app (failed, exit 1, essential)');
      expect(rendered).toContain('datadog-agent (exit 143, agent sidecar, not essential)');
    }
  });
});
