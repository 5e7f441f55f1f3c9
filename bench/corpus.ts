import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBundle, type IncidentBundle } from '../lambda/evidence/bundle/read-bundle';

/** The repository root (bench/ sits directly under it; a bundled bench child is told through `BENCH_REPO_ROOT`). */
export const REPO_ROOT = process.env.BENCH_REPO_ROOT ?? join(__dirname, '..');

/** The shared corpus of real incidents, beside the repository (`../shared/corpus`). */
export const CORPUS_DIR = join(REPO_ROOT, '..', 'shared', 'corpus');

/**
 * The corpus bundles the benchmark builds on, one per trigger kind. The task stop is an ALB service
 * task stopped by ELB health checks: it exercises the most collectors (task, task definition, service,
 * container log, target health) and the health-check rules that read access logs.
 */
export const BENCH_BUNDLES = {
  task_stopped: '25-fargate-api-health-check-gets-400.json',
  deployment_failed: '59-circuit-breaker-health-path-404.json',
  service_action: '54-start-impaired-insufficient-memory.json',
  target_unhealthy: '58-alarm-unhealthy-hosts-sg-no-ingress.json',
} as const;

/** Reads and validates one corpus bundle. */
export function loadBundle(file: string): IncidentBundle {
  return parseBundle(JSON.parse(readFileSync(join(CORPUS_DIR, file), 'utf8')), file);
}
