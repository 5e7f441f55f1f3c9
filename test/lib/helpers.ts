import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { EcsIncidentAnalyzerProps } from '../../lib/config';
import { EcsIncidentAnalyzerStack } from '../../lib/ecs-incident-analyzer-stack';

/** Test helpers for the infrastructure tests: synthesis without bundling, corpus loading, CFN resolution. */

/**
 * An app whose stacks skip asset bundling (context `aws:cdk:bundling-stacks: []`) and CDK's
 * built-in CloudFormation schema validation (seconds per app on this machine), so a synth takes
 * milliseconds. `synth.test.ts` runs both for real, once.
 */
export function appWithoutBundling(): App {
  return new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
}

let outdir: string | undefined;
// Registered when a test file imports this module; removes the folder `testOutdir` made, if any.
afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  outdir = undefined;
});

/** One cloud-assembly folder per test file, removed after its tests (an App without `outdir` leaves one in the temp dir per synth). */
export function testOutdir(): string {
  outdir ??= mkdtempSync(join(tmpdir(), 'rca-cdk-test-'));
  return outdir;
}

/** Synthesises a stack with the given settings, without bundling. */
export function synthStack(props: EcsIncidentAnalyzerProps = {}): {
  app: App;
  stack: EcsIncidentAnalyzerStack;
  template: Template;
} {
  const app = appWithoutBundling();
  const stack = new EcsIncidentAnalyzerStack(app, 'TestStack', { analyzer: props });
  return { app, stack, template: Template.fromStack(stack) };
}

/** One recorded incident: the bundle file name, its EventBridge event and `expected.alert`. */
export interface RecordedEvent {
  readonly file: string;
  readonly event: Record<string, unknown>;
  /** `expected.alert` of the bundle; undefined when the bundle has no expectation. */
  readonly alert?: boolean;
}

/** Directory of the shared corpus (`../shared/corpus` beside the repository). */
export const CORPUS_DIR = join(__dirname, '..', '..', '..', 'shared', 'corpus');
/** Directory of the project's own fixture bundles. */
export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

/** Loads every `*.json` incident bundle of a directory (none if the directory does not exist). */
export function loadBundles(dir: string): RecordedEvent[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => {
    const bundle = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
      event?: Record<string, unknown>;
      expected?: { alert?: unknown };
    };
    if (bundle.event === undefined) return [];
    const alert = typeof bundle.expected?.alert === 'boolean' ? bundle.expected.alert : undefined;
    return [{ file: basename(name), event: bundle.event, alert }];
  });
}

/** Loads one corpus event by file name prefix (e.g. `62-`). */
export function corpusEvent(prefix: string): Record<string, unknown> {
  const found = loadBundles(CORPUS_DIR).find((b) => b.file.startsWith(prefix));
  if (found === undefined) throw new Error(`no corpus bundle starting with ${prefix} in ${CORPUS_DIR}`);
  return structuredClone(found.event);
}

/** The account, Region and partition CloudFormation would substitute at deploy time. */
export interface PseudoParameters {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * Resolves the pseudo parameters (`Ref: AWS::Partition|Region|AccountId`) and `Fn::Join` of a
 * template value as CloudFormation would in the given environment.
 *
 * @throws Error on any other intrinsic: the patterns must not depend on deployed resources.
 */
export function resolvePseudo(value: unknown, env: PseudoParameters): unknown {
  if (Array.isArray(value)) return value.map((v) => resolvePseudo(v, env));
  if (value === null || typeof value !== 'object') return value;
  const node = value as Record<string, unknown>;
  if ('Ref' in node) {
    const ref = { 'AWS::Partition': env.partition, 'AWS::Region': env.region, 'AWS::AccountId': env.account }[
      String(node.Ref)
    ];
    if (ref === undefined) throw new Error(`cannot resolve Ref ${String(node.Ref)} in an event pattern`);
    return ref;
  }
  if ('Fn::Join' in node) {
    const [delimiter, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => String(resolvePseudo(p, env))).join(delimiter);
  }
  const intrinsic = Object.keys(node).find((k) => k.startsWith('Fn::'));
  if (intrinsic !== undefined) throw new Error(`cannot resolve ${intrinsic} in an event pattern`);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolvePseudo(v, env)]));
}

/** The `EventPattern` of every `AWS::Events::Rule` of a template, by logical id. */
export function rulePatterns(template: Template): Record<string, unknown> {
  const rules = template.findResources('AWS::Events::Rule') as Record<string, { Properties: { EventPattern: unknown } }>;
  return Object.fromEntries(Object.entries(rules).map(([id, r]) => [id, r.Properties.EventPattern]));
}

/** The environment an event came from, for resolving patterns against it. */
export function envOf(event: Record<string, unknown>): PseudoParameters {
  return { partition: 'aws', region: String(event.region), account: String(event.account) };
}
