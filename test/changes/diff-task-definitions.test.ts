import { diffTaskDefinitions, imagesOf } from '../../lambda/changes/diff-task-definitions';
import { normaliseTaskDefinition } from '../../lambda/evidence/normalise';
import { containerDefinition, taskDefinition } from '../helpers/evidence';

const kinds = (items: { kind: string }[]) => items.map((i) => i.kind).sort();

describe('diffTaskDefinitions', () => {
  it('finds nothing between a task definition and itself', () => {
    const td = taskDefinition([containerDefinition('app', { image: 'web:1', environmentNames: ['A'], environmentFingerprints: { A: 'x' } })]);
    expect(diffTaskDefinitions(td, td)).toEqual({ items: [], notes: [] });
  });

  it('lists every container-level field that changed', () => {
    const before = taskDefinition([
      containerDefinition('app', {
        image: 'web:1',
        command: ['a'],
        entryPoint: ['/e'],
        workingDirectory: '/app',
        user: '1000',
        portMappings: [{ containerPort: 8080 }],
        healthCheck: { command: ['CMD-SHELL', 'curl -f localhost/health'], intervalSeconds: 30 },
        essential: true,
        dependsOn: [],
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/a' } },
        mountPoints: [],
        cpu: 256,
        memory: 512,
      }),
    ]);
    const after = taskDefinition([
      containerDefinition('app', {
        image: 'web:2',
        command: ['b'],
        entryPoint: ['/f'],
        workingDirectory: '/srv',
        user: 'root',
        portMappings: [{ containerPort: 80 }],
        healthCheck: { command: ['CMD-SHELL', 'curl -f localhost/healthz'], intervalSeconds: 30 },
        essential: false,
        dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }],
        logConfiguration: { logDriver: 'awsfirelens', options: {} },
        mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }],
        cpu: 512,
        memory: 256,
      }),
    ]);
    const { items } = diffTaskDefinitions(before, after);
    expect(kinds(items)).toEqual(
      ['command', 'cpu', 'depends_on', 'entry_point', 'essential', 'health_check', 'image', 'log_configuration', 'memory', 'mount_points', 'ports', 'user', 'working_directory'].sort(),
    );
    expect(items.find((i) => i.kind === 'health_check')?.summary).toBe('app: healthCheck command "CMD-SHELL curl -f localhost/health" → "CMD-SHELL curl -f localhost/healthz"');
    expect(items.find((i) => i.kind === 'command')?.summary).toBe('app: command changed'); // never quoted: it may hold a credential
  });

  it('lists task-level changes: cpu, memory, platform, roles, network mode, ephemeral storage, volumes, containers', () => {
    const before = taskDefinition([containerDefinition('app'), containerDefinition('old')], {
      cpu: '512',
      memory: '1024',
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      taskRoleArn: 'arn:aws:iam::1:role/a',
      executionRoleArn: 'arn:aws:iam::1:role/x',
      networkMode: 'bridge',
      ephemeralStorageGiB: 40,
    });
    const after = taskDefinition([containerDefinition('app'), containerDefinition('new')], {
      cpu: '1024',
      memory: '512',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      taskRoleArn: 'arn:aws:iam::1:role/b',
      executionRoleArn: 'arn:aws:iam::1:role/y',
      networkMode: 'awsvpc',
      ephemeralStorageGiB: 21,
      volumes: [{ name: 'data', kind: 'efs' }],
    });
    expect(kinds(diffTaskDefinitions(before, after).items)).toEqual(
      ['container_added', 'container_removed', 'cpu', 'ephemeral_storage', 'execution_role', 'memory', 'network_mode', 'runtime_platform', 'task_role', 'volumes'].sort(),
    );
  });

  it('compares environment and secret values only through keyed hashes, naming variables, never values', () => {
    const td = (env: Record<string, string>, secret: string) =>
      normaliseTaskDefinition({
        containerDefinitions: [
          { name: 'app', environment: Object.entries(env).map(([name, value]) => ({ name, value })), secrets: [{ name: 'API_KEY', valueFrom: secret }] },
        ],
      });
    const before = td({ KEEP: 'same-SEED', CHANGE: 'old-SEED', DROP: 'x-SEED' }, 'arn:secret:a-SEED');
    const after = td({ KEEP: 'same-SEED', CHANGE: 'new-SEED', ADD: 'y-SEED' }, 'arn:secret:b-SEED');
    expect(JSON.stringify(after)).not.toContain('SEED'); // the evidence model holds hashes, not values
    const { items, notes } = diffTaskDefinitions(before, after);
    expect(items.map((i) => i.id)).toEqual([
      'environment_added:app:ADD',
      'environment_removed:app:DROP',
      'environment_changed:app:CHANGE',
      'secret_changed:app:API_KEY',
    ]);
    expect(JSON.stringify(items)).not.toContain('SEED');
    expect(notes).toEqual([]);
  });

  it('says when values masked by an older capture cannot be compared, instead of calling them equal', () => {
    const masked = normaliseTaskDefinition({ containerDefinitions: [{ name: 'app', environment: [{ name: 'A', value: '[REDACTED:environment-value]' }] }] });
    const { items, notes } = diffTaskDefinitions(masked, masked);
    expect(items).toEqual([]);
    expect(notes).toEqual(['app: whether 1 environment variable value(s) changed is unknown (the values were masked before they reached the analyzer).']);
  });

  it('sees a new digest behind the same tag (a re-pushed mutable tag) from the service revisions', () => {
    const td = taskDefinition([containerDefinition('app', { image: 'web:latest' })]);
    const revision = (digest: string) => ({ serviceRevisionArn: 'r', containerImages: [{ containerName: 'app', image: 'web:latest', imageDigest: digest }], loadBalancers: [] });
    const before = imagesOf(td, revision(`sha256:${'1'.repeat(64)}`));
    const after = imagesOf(td, revision(`sha256:${'2'.repeat(64)}`));
    expect(diffTaskDefinitions(td, td, { before, after }).items).toEqual([
      { id: 'image:app:', kind: 'image', containerName: 'app', summary: 'app: image web:latest (sha256:111111111111…) → web:latest (sha256:222222222222…)' },
    ]);
  });
});

describe('hostile task definitions', () => {
  it('keeps a megabyte health-check command to one short line, cut on code points', () => {
    const huge = `curl -f http://localhost/${'😀'.repeat(500_000)}`;
    const before = taskDefinition([containerDefinition('app', { healthCheck: { command: ['CMD-SHELL', 'true'] } })]);
    const after = taskDefinition([containerDefinition('app', { healthCheck: { command: ['CMD-SHELL', huge] } })]);
    const summary = diffTaskDefinitions(before, after).items[0]?.summary ?? '';
    expect(summary.length).toBeLessThan(400);
    expect(summary).toContain('…');
    expect(summary).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no half surrogate pair
  });
});
