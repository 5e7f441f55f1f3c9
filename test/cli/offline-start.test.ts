import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { main as Main } from '../../lambda/cli/main';
import { RATE_LIMIT_BUNDLE, ROOT } from './harness';

// Every AWS SDK package the product depends on is replaced by a module that throws when it is loaded:
// the offline commands (`--version`, `analyze FILE`, `eval DIR`) must start without any of them.
// The live command is the control: it must reach the SDK, so the trap is proven to spring.
const SDK_PACKAGES = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies).filter(
  (name) => name.startsWith('@aws-sdk/'),
);

let dir: string;
let main: typeof Main;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecs-rca-offline-'));
  copyFileSync(RATE_LIMIT_BUNDLE, join(dir, 'case.json'));
  for (const name of SDK_PACKAGES) {
    jest.doMock(name, () => {
      throw new Error(`${name} was loaded`);
    });
  }
  jest.isolateModules(() => {
    ({ main } = require('../../lambda/cli/main') as { main: typeof Main });
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTTY: false, env: {}, cwd: ROOT });
  return { code, stdout, stderr };
}

describe('offline commands load no AWS SDK client', () => {
  it('knows the SDK packages it guards against', () => {
    expect(SDK_PACKAGES).toEqual(expect.arrayContaining(['@aws-sdk/client-ecs', '@aws-sdk/client-cloudwatch-logs']));
  });

  it.each([
    ['--version', []],
    ['analyze (the embedded sample)', ['analyze', '--format', 'json']],
    ['analyze FILE', ['analyze', RATE_LIMIT_BUNDLE]],
  ])('%s', async (_name, argv) => {
    const result = await run(argv.length > 0 ? argv : ['--version']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('eval DIR', async () => {
    const result = await run(['eval', dir]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('1/1');
    expect(result.code).toBe(0);
  });

  it('but the live analysis does load the SDK (the trap works)', async () => {
    const result = await run(['analyze', '--cluster', 'prod', '--task', '0123456789abcdef0123456789abcdef', '--region', 'eu-west-1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/@aws-sdk\/client-[a-z-]+ was loaded/);
  });
});
