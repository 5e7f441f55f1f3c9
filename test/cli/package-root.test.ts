import { join } from 'node:path';
import { packageRoot, sampleBundlePath } from '../../lambda/cli/package-root';
import { ROOT } from './harness';

describe('packageRoot', () => {
  it('finds the package from its sources and from a build or install folder below it', () => {
    expect(packageRoot()).toBe(ROOT);
    expect(packageRoot(join(ROOT, 'dist', 'lambda', 'cli'))).toBe(ROOT);
  });

  it('fails outside the package', () => {
    expect(() => packageRoot('/')).toThrow(/cannot find the ecs-incident-analyzer package root/);
  });

  it('places the embedded sample under examples/', () => {
    expect(sampleBundlePath()).toBe(join(ROOT, 'examples', 'seed-incident.json'));
  });
});
