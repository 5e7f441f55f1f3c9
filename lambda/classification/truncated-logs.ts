import type { Evidence, LogStreamEvidence } from '../evidence/types';
import type { Finding } from '../report/report-schema';
import { cutText, oneLine } from '../shared/text';
import { SYMPTOM_CATEGORIES } from './taxonomy';

/**
 * Log streams the analyzer did not read whole: the live collector stops at its per-stream budget
 * (`LOG_LINE_BUDGET`, `LOG_BYTE_BUDGET`: the start and the end of the stream are kept), and a bundle
 * read keeps the head and tail of a stream larger than it may hold (`BUNDLE_STREAM_BYTES`). Either
 * marks the stream `truncated`. A cause logged in the lines left out cannot be seen, so every report
 * names each such stream as an evidence gap, and a verdict that rests on no cause having been found
 * in the logs loses some confidence.
 */

/** The share of its confidence a verdict by absence keeps when a log stream was cut. */
export const TRUNCATED_LOGS_FACTOR = 0.8;

/** Longest stream or group name quoted in a gap (AWS allows 512 characters). */
const NAME_CHARS = 200;

const name = (text: string): string => cutText(oneLine(text), NAME_CHARS);

/** The log streams of the evidence that were cut. */
export function truncatedStreams(evidence: Pick<Evidence, 'logs'>): LogStreamEvidence[] {
  return evidence.logs.filter((stream) => stream.truncated === true);
}

/** One sentence per cut stream: `Log stream S (log group G) was truncated: N events kept; …`. */
export function truncationGaps(evidence: Pick<Evidence, 'logs'>): string[] {
  return truncatedStreams(evidence).map(
    (stream) =>
      `Log stream ${name(stream.logStreamName)} (log group ${name(stream.logGroupName)}) was truncated: ` +
      `${stream.events.length} events kept; the rest of the stream was not read, so a cause logged there cannot be seen.`,
  );
}

/**
 * The root cause with lowered confidence when it rests on the absence of a cause in logs that were
 * cut: a symptom (health checks, a bare exit code, see `SYMPTOM_CATEGORIES`) or `unknown` is what is
 * left when no log line showed a cause, and the lines not read may hold one. Its confidence is
 * multiplied by `TRUNCATED_LOGS_FACTOR` and its explanation says why. Any other finding rests on what
 * was read and is returned unchanged. Pure.
 */
export function withTruncatedLogs(evidence: Pick<Evidence, 'logs'>, root: Finding): Finding {
  const cut = truncatedStreams(evidence);
  if (cut.length === 0 || (root.category !== 'unknown' && !SYMPTOM_CATEGORIES.has(root.category))) return root;
  const which = cut.length === 1 ? `Log stream ${name(cut[0]?.logStreamName ?? '')} was` : `${cut.length} log streams were`;
  return {
    ...root,
    confidence: Math.round(root.confidence * TRUNCATED_LOGS_FACTOR * 100) / 100,
    explanation: `${root.explanation} ${which} truncated (see the evidence gaps): the lines not read may hold the cause, so confidence is lowered.`,
  };
}
