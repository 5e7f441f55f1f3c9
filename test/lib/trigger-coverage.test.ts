import type { Template } from 'aws-cdk-lib/assertions';
import type { EcsIncidentAnalyzerProps } from '../../lib/config';
import { catalogueBundle, loadCatalogue } from '../../scripts/aws-catalogue';
import { parseTriggerEvent } from '../../lambda/evidence/events';
import { UnsupportedEventError } from '../../lambda/shared/errors';
import { ROOT } from '../cli/harness';
import { matchesEventPattern } from './event-pattern-matcher';
import {
  CORPUS_DIR,
  FIXTURES_DIR,
  corpusEvent,
  envOf,
  loadBundles,
  resolvePseudo,
  rulePatterns,
  synthStack,
  type RecordedEvent,
} from './helpers';

// The rule patterns are read from the synthesised template (not from lib/event-patterns.ts), so
// this tests what CloudFormation would deploy.

const templates = new Map<string, Template>();
function template(props: EcsIncidentAnalyzerProps = {}): Template {
  const key = JSON.stringify(props);
  let t = templates.get(key);
  if (t === undefined) {
    t = synthStack(props).template;
    templates.set(key, t);
  }
  return t;
}

/** Logical ids of the rules of a template whose pattern matches the event. */
function matchingRules(event: Record<string, unknown>, props: EcsIncidentAnalyzerProps = {}): string[] {
  return Object.entries(rulePatterns(template(props)))
    .filter(([, pattern]) => matchesEventPattern(resolvePseudo(pattern, envOf(event)), event))
    .map(([id]) => id);
}

const recorded: RecordedEvent[] = [...loadBundles(CORPUS_DIR), ...loadBundles(FIXTURES_DIR)];
const alerting = recorded.filter((r) => r.alert === true);
const benign = recorded.filter((r) => r.alert === false);

describe('trigger rules against recorded incidents', () => {
  it('finds the shared corpus', () => {
    expect(loadBundles(CORPUS_DIR).length).toBeGreaterThan(0);
    expect(alerting.length).toBeGreaterThan(0);
    expect(benign.length).toBeGreaterThan(0);
  });

  it.each(alerting.map((r) => [r.file, r.event] as const))('%s (alert) matches exactly one rule', (_file, event) => {
    expect(matchingRules(event)).toHaveLength(1);
  });

  // No exception list: every benign stop of the corpus, the scheduled job that exited 0 included,
  // is excluded by the pattern itself.
  it.each(benign.map((r) => [r.file, r.event] as const))('%s (benign) matches no rule', (_file, event) => {
    expect(matchingRules(event)).toEqual([]);
  });
});

// Every message of AWS's catalogue (test/fixtures/aws-catalogue) in the event that carries it: what the
// analyzer alerts on must reach it through exactly one rule; an informational event the handler declines must
// reach no analysing rule (steady state and completion only close incidents). Benign stops the
// pattern lets through (task retirement) are classified benign_stop, without alert, by the catalogue test.
describe('trigger rules against the AWS catalogue', () => {
  const catalogue = loadCatalogue(ROOT);
  const events = (pick: (entry: (typeof catalogue)[number]) => boolean) =>
    catalogue.filter(pick).map((entry) => [entry.id, catalogueBundle(entry).event as Record<string, unknown>] as const);

  it.each(events((e) => 'alert' in e.expected && e.expected.alert))('%s (alert) matches exactly one rule', (_id, event) => {
    expect(matchingRules(event)).toHaveLength(1);
  });

  // Informational events get a report offline (`benign_stop`), but the handler declines them (`parseTriggerEvent`
  // without `informational`): the stack must not send them to analysis.
  const declinedByHandler = (entry: (typeof catalogue)[number]): boolean => {
    try {
      parseTriggerEvent(catalogueBundle(entry).event, 'event');
      return false;
    } catch (error) {
      return error instanceof UnsupportedEventError;
    }
  };

  it.each(events(declinedByHandler))(
    '%s (declined) matches no analysing rule',
    (_id, event) => {
      expect(matchingRules(event).filter((id) => !id.startsWith('AnalyzerTriggersServiceRecovered'))).toEqual([]);
    },
  );
});

describe('task stopped rule', () => {
  const stopped = () => corpusEvent('20-') as { detail: Record<string, unknown> } & Record<string, unknown>;
  const job = () => corpusEvent('62-') as { detail: Record<string, unknown> } & Record<string, unknown>;

  it('excludes a standalone job whose containers all exited 0 (corpus 62)', () => {
    expect(matchingRules(job())).toEqual([]);
  });

  it('keeps a service task whose essential container exited 0: a service must not exit', () => {
    const event = job();
    event.detail.group = 'service:nightly-report';
    expect(matchingRules(event)).toHaveLength(1);
  });

  it('keeps a job in which any container exited non-zero', () => {
    const event = job();
    const containers = event.detail.containers as Record<string, unknown>[];
    containers.push({ ...containers[0], name: 'log-router', exitCode: 143 });
    expect(matchingRules(event)).toHaveLength(1);
  });

  it('keeps a job whose containers reported no exit code (nothing proves success)', () => {
    const event = job();
    for (const c of event.detail.containers as Record<string, unknown>[]) delete c.exitCode;
    expect(matchingRules(event)).toHaveLength(1);
  });

  it('keeps a stop without stopCode', () => {
    const event = job();
    delete event.detail.stopCode;
    expect(matchingRules(event)).toHaveLength(1);
  });

  it('keeps a stop without stoppedReason (anything-but needs the field; exists:false keeps it)', () => {
    const event = stopped();
    delete event.detail.stoppedReason;
    expect(matchingRules(event)).toHaveLength(1);
  });

  it('keeps stop codes it does not know, such as InfrastructureHealth', () => {
    const event = stopped();
    event.detail.stopCode = 'InfrastructureHealth';
    expect(matchingRules(event)).toHaveLength(1);
  });

  it.each(['UserInitiated', 'SpotInterruption', 'TerminationNotice'])('excludes stopCode %s', (stopCode) => {
    const event = stopped();
    event.detail.stopCode = stopCode;
    expect(matchingRules(event)).toEqual([]);
  });

  it('excludes scheduler stops whose stoppedReason starts with "Scaling activity initiated by"', () => {
    const event = stopped();
    event.detail.stopCode = 'ServiceSchedulerInitiated';
    event.detail.stoppedReason = 'Scaling activity initiated by (deployment ecs-svc/1234567890123456789)';
    expect(matchingRules(event)).toEqual([]);
  });

  it('ignores tasks that are not STOPPED', () => {
    const event = stopped();
    event.detail.lastStatus = 'RUNNING';
    expect(matchingRules(event)).toEqual([]);
  });
});

describe('service rules', () => {
  it.each(['SERVICE_DESIRED_COUNT_UPDATED', 'TASKS_STOPPED'])('ignores INFO service action %s', (name) => {
    const event = corpusEvent('54-') as { detail: Record<string, unknown> } & Record<string, unknown>;
    event.detail.eventType = 'INFO';
    event.detail.eventName = name;
    expect(matchingRules(event)).toEqual([]);
  });

  it('ignores deployment event SERVICE_DEPLOYMENT_IN_PROGRESS of a new deployment', () => {
    const event = corpusEvent('59-') as { detail: Record<string, unknown> } & Record<string, unknown>;
    event.detail.eventName = 'SERVICE_DEPLOYMENT_IN_PROGRESS';
    event.detail.eventType = 'INFO';
    event.detail.reason = 'ECS deployment ecs-svc/1234567890123456789 in progress.';
    expect(matchingRules(event)).toEqual([]);
  });

  it('takes SERVICE_DEPLOYMENT_IN_PROGRESS of a rollback with the deployment-failed rule', () => {
    const event = corpusEvent('59-') as { detail: Record<string, unknown> } & Record<string, unknown>;
    event.detail.eventName = 'SERVICE_DEPLOYMENT_IN_PROGRESS';
    event.detail.eventType = 'INFO';
    event.detail.reason = 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1234567890123456789.';
    expect(matchingRules(event)).toEqual([expect.stringMatching(/^AnalyzerTriggersDeploymentFailed/)]);
  });

  // Recovery events close open incidents: only the recovery rule takes them.
  it('sends SERVICE_DEPLOYMENT_COMPLETED and SERVICE_STEADY_STATE to the recovery rule only', () => {
    const completed = corpusEvent('59-') as { detail: Record<string, unknown> } & Record<string, unknown>;
    completed.detail.eventName = 'SERVICE_DEPLOYMENT_COMPLETED';
    completed.detail.eventType = 'INFO';
    const steady = corpusEvent('54-') as { detail: Record<string, unknown> } & Record<string, unknown>;
    steady.detail.eventType = 'INFO';
    steady.detail.eventName = 'SERVICE_STEADY_STATE';
    for (const event of [completed, steady]) {
      expect(matchingRules(event)).toEqual([expect.stringMatching(/^AnalyzerTriggersServiceRecovered/)]);
    }
  });

  it('keeps recovery events of watched clusters only', () => {
    const props: EcsIncidentAnalyzerProps = { clusters: ['pipeline'] };
    const steady = corpusEvent('54-') as { detail: Record<string, unknown> } & Record<string, unknown>;
    steady.detail.eventType = 'INFO';
    steady.detail.eventName = 'SERVICE_STEADY_STATE';
    expect(matchingRules(steady, props)).toHaveLength(1);
    steady.resources = [`arn:aws:ecs:${String(steady.region)}:${String(steady.account)}:service/other/image-tagger`];
    expect(matchingRules(steady, props)).toEqual([]);
  });
});

describe('unhealthy host alarm rule', () => {
  const alarm = () => corpusEvent('58-') as { detail: Record<string, any> } & Record<string, unknown>;

  it('ignores an alarm leaving ALARM', () => {
    const event = alarm();
    event.detail.state.value = 'OK';
    expect(matchingRules(event)).toEqual([]);
  });

  it.each([
    ['AWS/NetworkELB', { TargetGroup: 'targetgroup/web-tg/0a1b2c3d4e5f6a7b', LoadBalancer: 'net/web-nlb/5f3a2b1c0d9e8f7a' }],
    ['AWS/ELB', { LoadBalancerName: 'web-clb' }],
  ])('takes UnHealthyHostCount alarms of %s load balancers', (namespace, dimensions) => {
    const event = alarm();
    Object.assign(event.detail.configuration.metrics[0].metricStat.metric, { namespace, dimensions });
    expect(matchingRules(event)).toEqual([expect.stringMatching(/^AnalyzerTriggersUnhealthyHostAlarm/)]);
  });

  it('ignores alarms on other metrics', () => {
    const event = alarm();
    event.detail.configuration.metrics[0].metricStat.metric.name = 'HTTPCode_Target_5XX_Count';
    expect(matchingRules(event)).toEqual([]);
  });

  it('with alarmScope "own", takes only the alarms named with the construct prefix', () => {
    const props: EcsIncidentAnalyzerProps = { alarmScope: 'own', alarmNamePrefix: 'analyzer-uhc-' };
    expect(matchingRules(alarm(), props)).toEqual([]);
    const own = alarm();
    own.detail.alarmName = 'analyzer-uhc-web-tg';
    expect(matchingRules(own, props)).toHaveLength(1);
  });
});

describe('cluster filter', () => {
  // Corpus 62 runs in cluster "jobs" (us-east-1), 54 in "pipeline", 59 in "r-api-cluster" (no clusterArn).
  const props: EcsIncidentAnalyzerProps = { clusters: ['pipeline', 'r-api-cluster', 'default'] };

  it('keeps task, service-action and deployment events of watched clusters', () => {
    expect(matchingRules(corpusEvent('54-'), props)).toHaveLength(1);
    expect(matchingRules(corpusEvent('59-'), props)).toHaveLength(1);
    const task = corpusEvent('20-') as { detail: Record<string, unknown> } & Record<string, unknown>;
    task.detail.clusterArn = `arn:aws:ecs:${String(task.region)}:${String(task.account)}:cluster/default`;
    expect(matchingRules(task, props)).toHaveLength(1);
  });

  it('drops events of other clusters', () => {
    const task = corpusEvent('20-') as { detail: Record<string, unknown> } & Record<string, unknown>;
    task.detail.clusterArn = `arn:aws:ecs:${String(task.region)}:${String(task.account)}:cluster/other`;
    expect(matchingRules(task, props)).toEqual([]);
    const service = corpusEvent('54-');
    service.resources = [`arn:aws:ecs:${String(service.region)}:${String(service.account)}:service/other/image-tagger`];
    expect(matchingRules(service, props)).toEqual([]);
  });

  it('drops events of a same-named cluster in another account', () => {
    const service = corpusEvent('54-');
    service.resources = ['arn:aws:ecs:eu-west-1:999999999999:service/pipeline/image-tagger'];
    // The pattern is resolved for the event's own account, so compare against a fixed deployment account.
    const pattern = Object.values(rulePatterns(template(props))).map((p) =>
      resolvePseudo(p, { partition: 'aws', region: 'eu-west-1', account: '111122223333' }),
    );
    expect(pattern.some((p) => matchesEventPattern(p, service))).toBe(false);
  });

  it('accepts clusters given as ARNs', () => {
    const arnProps: EcsIncidentAnalyzerProps = { clusters: ['arn:aws:ecs:eu-west-1:111122223333:cluster/pipeline'] };
    expect(matchingRules(corpusEvent('54-'), arnProps)).toHaveLength(1);
    expect(matchingRules(corpusEvent('59-'), arnProps)).toEqual([]);
  });
});
