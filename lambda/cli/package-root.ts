import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The npm package name, used to recognise the package root. */
export const PACKAGE_NAME = 'ecs-incident-analyzer';

/** The embedded sample bundle, relative to the package root (shipped through `files` in package.json). */
export const SAMPLE_BUNDLE = join('examples', 'seed-incident.json');

function packageNameAt(dir: string): string | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'name' in parsed && typeof parsed.name === 'string' ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The directory of this package's `package.json`, found by walking up from `from`. Works from the
 * sources (`lambda/cli/`, run by tsx or jest), from the build (`dist/lambda/cli/`) and when installed
 * under `node_modules/`, whatever the working directory. The build holds a copy of `package.json` in
 * `dist/` (tsc emits the JSON that `shared/version.ts` imports), so the root is the first such folder
 * that also ships `examples/`.
 *
 * @throws Error when no `package.json` named `ecs-incident-analyzer` is above `from` (a broken install).
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (packageNameAt(dir) === PACKAGE_NAME && existsSync(join(dir, 'examples'))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${from}`);
  }
}

/** Absolute path of the embedded sample bundle (`examples/seed-incident.json`). */
export function sampleBundlePath(): string {
  return join(packageRoot(), SAMPLE_BUNDLE);
}
