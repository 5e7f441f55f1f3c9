import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { CollectConfig } from '../lambda/evidence/collect-config';
import { REPO_ROOT } from './corpus';
import { median } from './stats';
import type { Row } from './table';

/**
 * Measurement 4: peak RSS of live collection + analysis of a task whose log stream holds 50 MB, in a
 * child process (`memory-child.ts`), beside the same child loading and serving everything but
 * analysing nothing. The child is bundled with esbuild first (packages stay in node_modules), so no
 * TypeScript loader is counted; the SDK mocks (aws-sdk-client-mock, sinon) are, in both figures.
 */

/** Budget: peak RSS in MiB (the smallest Lambda memory size). */
export const MEMORY_BUDGET_MB = 128;
/** Bytes of log messages in the served stream. */
export const STREAM_BYTES = 50_000_000;
const RUNS = 3;

/** One child's report. */
interface ChildReport {
  maxRssKb: number;
  streamBytes: number;
  streamEvents: number;
  getLogEventsCalls: number;
  kept: { lines: number; bytes: number; truncated: boolean; rootCause: string };
  /** ms of the analysis, the first in its process. */
  analysisMs: number;
  /** ms of the same analysis right after, in the same process. */
  secondAnalysisMs: number;
}

function runChild(script: string, mode: 'baseline' | 'analyze', config: Partial<CollectConfig>): ChildReport {
  const result = spawnSync(process.execPath, [script, mode], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_PATH: join(REPO_ROOT, 'node_modules'),
      BENCH_REPO_ROOT: REPO_ROOT,
      BENCH_COLLECT_CONFIG: JSON.stringify(config),
      BENCH_STREAM_BYTES: String(STREAM_BYTES),
      NODE_NO_WARNINGS: '1',
    },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`memory child (${mode}) failed: ${result.stderr}`);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildReport;
}

/** What measurement 4 found. */
export interface MemoryResult {
  peakMb: number;
  baselineMb: number;
  /** Median ms of the first analysis in a fresh process. */
  firstAnalysisMs: number;
  /** Median ms of the same analysis repeated in that process. */
  secondAnalysisMs: number;
  report: ChildReport;
}

/** Runs measurement 4 with the Lambda's collect config; `dir` is a temporary directory for the bundled child. */
export async function measureMemory(dir: string, config: Partial<CollectConfig>): Promise<MemoryResult> {
  const script = join(dir, 'memory-child.js');
  await build({
    entryPoints: [join(REPO_ROOT, 'bench', 'memory-child.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
  const peaks: number[] = [];
  const baselines: number[] = [];
  const analyses: number[] = [];
  const repeats: number[] = [];
  let report: ChildReport | undefined;
  for (let run = 0; run < RUNS; run += 1) {
    baselines.push(runChild(script, 'baseline', config).maxRssKb / 1024);
    report = runChild(script, 'analyze', config);
    peaks.push(report.maxRssKb / 1024);
    analyses.push(report.analysisMs);
    repeats.push(report.secondAnalysisMs);
  }
  if (!report) throw new Error('no run');
  return { peakMb: median(peaks), baselineMb: median(baselines), firstAnalysisMs: median(analyses), secondAnalysisMs: median(repeats), report };
}

/** Table rows of measurement 4. */
export function memoryRows(r: MemoryResult): Row[] {
  const k = r.report.kept;
  return [
    {
      name: `4 peak RSS, ${(r.report.streamBytes / 1e6).toFixed(0)} MB log stream`,
      figure: `${r.peakMb.toFixed(0)} MB`,
      reference: `same process, no analysis: ${r.baselineMb.toFixed(0)} MB`,
      ratio: r.peakMb / r.baselineMb,
      budget: `< ${MEMORY_BUDGET_MB} MB`,
      pass: r.peakMb < MEMORY_BUDGET_MB,
    },
    {
      name: '4 … first analysis of the process',
      figure: `${r.firstAnalysisMs.toFixed(0)} ms (${k.lines} log lines)`,
      reference: `same analysis again: ${r.secondAnalysisMs.toFixed(1)} ms`,
      ratio: r.firstAnalysisMs / r.secondAnalysisMs,
      budget: '',
    },
    {
      name: '4 … log kept by the collector',
      figure: `${k.lines} lines, ${(k.bytes / 1024).toFixed(0)} KB${k.truncated ? ' (truncated)' : ''}`,
      reference: `${r.report.streamEvents} events, ${(r.report.streamBytes / 1e6).toFixed(0)} MB in ${r.report.getLogEventsCalls} GetLogEvents calls`,
      budget: '',
    },
  ];
}
