import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One seeded secret in a log text (test/fixtures/secrets/*.json). */
export interface SecretCase {
  /** The `RedactionKind` whose marker must appear. */
  kind: string;
  /** The text as a container would log it (may hold several lines). */
  text: string;
  /** Substrings that must not survive redaction. */
  secrets: string[];
  /** Substrings (key names, schemes, hosts, the rest of the line) that must survive. */
  keep: string[];
}

const SECRETS_DIR = join(__dirname, '../fixtures/secrets');

/**
 * Written inside fake tokens in the fixture files and removed when they are read, so that no secret
 * scanner (GitHub push protection) takes a fixture for a leak.
 */
const JOIN = '<+>';

/** Every seeded-secret case, with the fixture file (log format) it comes from. */
export function secretCases(): { file: string; cases: SecretCase[] }[] {
  return readdirSync(SECRETS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, cases: (JSON.parse(readFileSync(join(SECRETS_DIR, file), 'utf8').split(JOIN).join('')) as { cases: SecretCase[] }).cases }));
}

/** Ordinary log lines that look like secrets and hold none (test/fixtures/secret-lookalikes). */
export function lookalikeLines(): string[] {
  return (JSON.parse(readFileSync(join(__dirname, '../fixtures/secret-lookalikes/lines.json'), 'utf8')) as { lines: string[] }).lines;
}

/** The directories of recorded incidents: the shared corpus, our fixtures and the examples. */
export const BUNDLE_DIRS = [join(__dirname, '../../../shared/corpus'), join(__dirname, '../fixtures'), join(__dirname, '../../examples')];

/** Every incident bundle file (path) of `BUNDLE_DIRS`. */
export function bundlePaths(): string[] {
  return BUNDLE_DIRS.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(dir, f)),
  );
}

/** Every string anywhere in a JSON value (keys excluded). */
export function stringLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringLeaves(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) stringLeaves(item, out);
  return out;
}
