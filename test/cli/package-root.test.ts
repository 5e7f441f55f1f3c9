import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot, sampleBundlePath } from '../../lambda/cli/package-root';
import { ROOT } from './harness';

describe('packageRoot', () => {
  it('finds the package from its sources and from a build or install folder below it', () => {
    expect(packageRoot()).toBe(ROOT);
    expect(packageRoot(join(ROOT, 'dist', 'lambda', 'cli'))).toBe(ROOT);
  });

  it('skips the copy of package.json that the build writes into dist/', () => {
    const root = mkdtempSync(join(tmpdir(), 'rca-root-'));
    try {
      const manifest = JSON.stringify({ name: 'ecs-incident-analyzer' });
      mkdirSync(join(root, 'examples'));
      mkdirSync(join(root, 'dist', 'lambda', 'cli'), { recursive: true });
      writeFileSync(join(root, 'package.json'), manifest);
      writeFileSync(join(root, 'dist', 'package.json'), manifest);
      expect(packageRoot(join(root, 'dist', 'lambda', 'cli'))).toBe(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('fails outside the package', () => {
    expect(() => packageRoot('/')).toThrow(/cannot find the ecs-incident-analyzer package root/);
  });

  it('places the embedded sample under examples/', () => {
    expect(sampleBundlePath()).toBe(join(ROOT, 'examples', 'seed-incident.json'));
  });
});
