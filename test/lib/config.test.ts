import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkContextKeys, CONTEXT_KEYS, ConfigError, minimumTimeoutMs, resolveSettings, settingsFromContext } from '../../lib/config';

const context = (values: Record<string, unknown>) => (key: string) => values[key];

/** The message of the ConfigError `fn` throws. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveSettings', () => {
  it('fills every default', () => {
    const s = resolveSettings();
    expect(s).toMatchObject({
      clusters: [],
      targetGroups: [],
      alarmScope: 'all',
      alertEmails: [],
      slackEnabled: true,
      auditPrefix: 'incidents/',
      auditRetentionDays: 365,
      objectLock: false,
      logLevel: 'INFO',
      logRetentionDays: 30,
      snsMessageFormat: 'text',
      memorySize: 512,
      timeoutSeconds: 60,
      reservedConcurrency: 5,
      retryAttempts: 2,
      maxEventAgeSeconds: 3600,
      lambdaRuntime: 'nodejs22.x',
    });
    expect(s.existingTopicArn).toBeUndefined();
  });

  it.each([
    [{ clusters: ['bad name'] }, /"clusters\[0\]": expected an ECS cluster name or arn:aws:ecs/],
    [{ targetGroups: [{ targetGroup: 'web-tg', loadBalancer: 'app/web/0123456789abcdef' }] }, /"targetGroups\[0\]\.targetGroup": expected targetgroup\/<name>\/<16 hex id>.*got "web-tg"/],
    [{ auditPrefix: '/incidents' }, /"auditPrefix": expected a key prefix ending with '\/'/],
    [{ logRetentionDays: 31 }, /"logRetentionDays": expected one of 1, 3, 5/],
    [{ retryAttempts: 3 }, /"retryAttempts": .*2.*got 3/],
    [{ alertEmails: ['ops'] }, /"alertEmails\[0\]": expected an e-mail address, got "ops"/],
    [{ existingTopicArn: 'topic' }, /"existingTopicArn": expected arn:aws:sns/],
    [{ metricsNamespace: 'AWS/Mine' }, /"metricsNamespace": namespaces starting with AWS\/ are reserved/],
    [{ clustrs: ['x'] } as never, /"clustrs": unknown setting/],
    [
      {
        targetGroups: [
          { targetGroup: 'targetgroup/web-tg/0a1b2c3d4e5f6a7b', loadBalancer: 'app/web/0123456789abcdef' },
          {
            targetGroup: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b',
            loadBalancer: 'app/web/0123456789abcdef',
          },
        ],
      },
      /"targetGroups": each target group may appear only once/,
    ],
  ])('rejects %j in one line', (props, message) => {
    const text = errorOf(() => resolveSettings(props));
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('rejects settings that contradict each other', () => {
    expect(errorOf(() => resolveSettings({ existingTopicKmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/abc' }))).toMatch(
      /existingTopicKmsKeyArn.*only meaningful with existingTopicArn/,
    );
    expect(errorOf(() => resolveSettings({ slackEnabled: false, slackSecretName: 'slack' }))).toMatch(/slackSecretName/);
    expect(errorOf(() => resolveSettings({ timeoutSeconds: 10, callTimeoutMs: 10000 }))).toMatch(/callTimeoutMs.*below timeoutSeconds/);
  });

  it('rejects a function timeout that the delivery reserve would leave no collection time in', () => {
    // Reserve at 5 s per call: audit write + 3 tries of a channel + 750 ms backoff + audit rewrite.
    expect(minimumTimeoutMs(5000)).toBe(1000 + 25_750 + 5000);
    expect(errorOf(() => resolveSettings({ timeoutSeconds: 30 }))).toBe(
      'Invalid ecs-incident-analyzer props "timeoutSeconds": 30 s leaves no time to collect evidence with callTimeoutMs 5000 ' +
        '(delivery reserves 25750 ms); use at least 32 s or a lower callTimeoutMs',
    );
    expect(resolveSettings({ timeoutSeconds: 32 }).timeoutSeconds).toBe(32);
    expect(resolveSettings({ timeoutSeconds: 10, callTimeoutMs: 1000 }).timeoutSeconds).toBe(10);
  });

  it('accepts target groups and load balancers as ARNs or ARN suffixes', () => {
    const s = resolveSettings({
      targetGroups: [
        {
          targetGroup: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b',
          loadBalancer: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web-alb/5f3a2b1c0d9e8f7a',
        },
        { targetGroup: 'targetgroup/api-tg/0a1b2c3d4e5f6a7c', loadBalancer: 'app/web-alb/5f3a2b1c0d9e8f7a' },
      ],
    });
    expect(s.targetGroups).toHaveLength(2);
  });
});

describe('settingsFromContext', () => {
  it('converts command-line strings to the setting types', () => {
    const s = settingsFromContext(
      context({
        clusters: 'prod, staging',
        alertEmails: 'ops@example.com',
        auditRetentionDays: '90',
        objectLock: 'true',
        slackEnabled: 'false',
        targetGroups: '[{"targetGroup":"targetgroup/web-tg/0a1b2c3d4e5f6a7b","loadBalancer":"app/web-alb/5f3a2b1c0d9e8f7a"}]',
        logGroupNamePrefixes: '["/ecs/"]',
      }),
    );
    expect(s.clusters).toEqual(['prod', 'staging']);
    expect(s.alertEmails).toEqual(['ops@example.com']);
    expect(s.auditRetentionDays).toBe(90);
    expect(s.objectLock).toBe(true);
    expect(s.slackEnabled).toBe(false);
    expect(s.targetGroups[0]?.loadBalancer).toBe('app/web-alb/5f3a2b1c0d9e8f7a');
    expect(s.logGroupNamePrefixes).toEqual(['/ecs/']);
  });

  it('treats null as unset and ignores keys it does not own', () => {
    const s = settingsFromContext(context({ existingTopicArn: null, '@aws-cdk/core:foo': true, stackName: 'X' }));
    expect(s.existingTopicArn).toBeUndefined();
  });

  it('names the context key in a one-line error', () => {
    expect(errorOf(() => settingsFromContext(context({ memorySize: 'lots' })))).toBe(
      'Invalid ecs-incident-analyzer context "memorySize": expected number, received string, got "lots"',
    );
    expect(errorOf(() => settingsFromContext(context({ targetGroups: '[{' })))).toMatch(
      /^Invalid ecs-incident-analyzer context "targetGroups": expected JSON, got "\[\{"$/,
    );
    expect(errorOf(() => settingsFromContext(context({ objectLock: 'yes' })))).toMatch(/"objectLock": expected boolean/);
  });

  it('refuses an empty list (an unset shell variable) instead of watching every cluster', () => {
    expect(errorOf(() => settingsFromContext(context({ clusters: '' })))).toBe(
      'Invalid ecs-incident-analyzer context "clusters": empty (an unset shell variable?); leave the key out for its default, or give a comma-separated list',
    );
    expect(errorOf(() => settingsFromContext(context({ alertEmails: '  ' })))).toMatch(/^Invalid ecs-incident-analyzer context "alertEmails": empty/);
    expect(settingsFromContext(context({ clusters: '[]' })).clusters).toEqual([]);
  });

  it('reads the defaults committed in cdk.json', () => {
    const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
      app: string;
      context: Record<string, unknown>;
    };
    expect(cdkJson.app).toBe('npx tsx bin/app.ts');
    // Every analyzer key in cdk.json is a known setting, and the file's values are valid.
    const unknown = Object.keys(cdkJson.context).filter((k) => !(k in CONTEXT_KEYS) && k !== 'stackName');
    expect(unknown).toEqual([]);
    expect(settingsFromContext(context(cdkJson.context))).toEqual(resolveSettings());
  });
});

describe('checkContextKeys', () => {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };

  it("accepts the committed cdk.json and CDK's own context keys", () => {
    expect(() =>
      checkContextKeys([
        ...Object.keys(cdkJson.context),
        '@aws-cdk/core:newStyleStackSynthesis',
        'aws:cdk:version-reporting',
        'aws:cdk:enable-path-metadata',
        'acknowledged-issue-numbers',
        'availability-zones:account=111122223333:region=us-east-1',
      ]),
    ).not.toThrow();
  });

  it('rejects a misspelt key with the nearest valid one, on one line', () => {
    const message = errorOf(() => checkContextKeys(['stackName', 'cluster']));
    expect(message).toMatch(/^Unknown ecs-incident-analyzer context key "cluster" \(did you mean "clusters"\?\); valid keys: clusters, /);
    expect(message).not.toContain('\n');
    expect(errorOf(() => checkContextKeys(['slackEnable']))).toMatch(/did you mean "slackEnabled"/);
    expect(errorOf(() => checkContextKeys(['auditRetention']))).toMatch(/did you mean "auditRetentionDays"/);
  });

  it('names no nearest key when none is close', () => {
    expect(errorOf(() => checkContextKeys(['banana']))).toMatch(/^Unknown ecs-incident-analyzer context key "banana"; valid keys: /);
  });
});
