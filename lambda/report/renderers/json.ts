import type { RcaReport } from '../report-schema';

/**
 * The report as pretty-printed JSON (two-space indent), exactly the `rca-report.v1` object — the same
 * document the S3 audit record holds — with nothing around it, so `ecs-rca analyze --format json`
 * can be piped into `jq` or saved as a file. No trailing newline (the CLI adds one).
 */
export function renderJson(report: RcaReport): string {
  return JSON.stringify(report, null, 2);
}
