import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { RcaReport } from '../report/report-schema';
import { renderMarkdown } from '../report/renderers/markdown';
import { oneLine, printable } from '../report/renderers/summary';
import { redactText } from '../shared/redaction';

/**
 * Output for CI runners through GitHub Actions' documented file and workflow-command protocol (no
 * `@actions/core`: its current major is ESM-only and states no `engines`; the protocol is four rules):
 * - the job summary: Markdown appended to the file named by `GITHUB_STEP_SUMMARY`;
 * - step outputs: `name<<DELIMITER` … `DELIMITER` blocks appended to the file named by `GITHUB_OUTPUT`;
 * - an error annotation: the line `::error title=T::MESSAGE` on stdout, with `%`, CR and LF escaped in
 *   the message and, in property values, `:` and `,` too.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 * Elsewhere (GitLab CI, Jenkins, a terminal) nothing here applies and the plain text report is the output.
 */

/** Longest annotation message we write (GitHub shows a few lines of it). */
export const ANNOTATION_MAX_CHARS = 1_000;

/** Escapes a workflow-command message (`%`, CR, LF). */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow-command property value (`%`, CR, LF, `:`, `,`). */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** At most `max` code points of `text` (never half a surrogate pair), `…` marking a cut. */
function cutCodePoints(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/**
 * Quoted text for an annotation: secrets masked (`redactText`), control characters made visible
 * (`printable`), one line, cut on code points.
 */
function quoted(text: string, max: number): string {
  return cutCodePoints(oneLine(printable(redactText(text).text)), max);
}

/**
 * The `::error` annotation of a failed deployment: the title is the root cause (our rule's title), the
 * message our own words naming the category, then the first evidence line, redacted.
 */
export function errorAnnotation(report: RcaReport, headline = 'ECS deployment failed'): string {
  const cause = report.rootCause;
  const evidence = cause.evidence[0]?.text;
  const message = `${headline}: ${cause.category} (${Math.round(cause.confidence * 100)}% confidence)${evidence ? `. Evidence: ${quoted(evidence, ANNOTATION_MAX_CHARS)}` : ''}`;
  return `::error title=${escapeCommandProperty(quoted(cause.title, 200))}::${escapeCommandData(message)}\n`;
}

/** One `name<<DELIMITER` block for `GITHUB_OUTPUT`; the delimiter is random so no value can end it early. */
export function outputBlock(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** What a run of the watch reports to CI. */
export interface CiResult {
  /** `succeeded`, `failed` or `timeout`. */
  verdict: string;
  /** The root cause's taxonomy category (failed deployments). */
  category?: string;
  /** Where the JSON report was written, if it was. */
  reportPath?: string;
  report?: RcaReport;
}

/** Where CI output goes; tests pass fakes. */
export interface CiIo {
  env: Readonly<Record<string, string | undefined>>;
  /** Writes annotation lines (stdout: the runner reads workflow commands from it). */
  stdout: (text: string) => void;
  /** Appends to a file. */
  append?: (path: string, text: string) => void;
}

/**
 * Writes the CI-native output of a watch: the Markdown report to the job summary
 * (`GITHUB_STEP_SUMMARY`), the outputs `verdict`, `root-cause-category` and `report-path`
 * (`GITHUB_OUTPUT`), and, when `GITHUB_ACTIONS` is set and the deployment failed, an `::error`
 * annotation. Each part only when its variable is set.
 */
export function writeCiOutput(result: CiResult, io: CiIo): void {
  const append = io.append ?? ((path: string, text: string) => appendFileSync(path, text, 'utf8'));
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (summary) {
    const body = result.report ? renderMarkdown(result.report) : `### ECS deployment ${result.verdict}\n`;
    append(summary, `${body.endsWith('\n') ? body : `${body}\n`}\n`);
  }
  const outputs = io.env.GITHUB_OUTPUT;
  if (outputs) {
    append(
      outputs,
      outputBlock('verdict', result.verdict) + outputBlock('root-cause-category', result.category ?? '') + outputBlock('report-path', result.reportPath ?? ''),
    );
  }
  if (io.env.GITHUB_ACTIONS && result.report && result.verdict === 'failed') io.stdout(errorAnnotation(result.report));
}
