import { DescribeLogStreamsCommand, type CloudWatchLogsClient, type LogStream } from '@aws-sdk/client-cloudwatch-logs';
import { callAws, isNotFound, type CallContext } from '../../shared/aws-call';
import type { LogWindow } from './read-log-stream';

/** Input of `findStreamsByPrefix`. */
export interface FindStreamsByPrefixInput {
  logGroupName: string;
  logStreamNamePrefix: string;
  /** The container's life; streams with no events in it are skipped when their timestamps say so. */
  window: LogWindow;
  /** Streams returned at most. */
  maxStreams: number;
}

/** Stream names, most recently written first, and gaps. */
export interface FindStreamsByPrefixResult {
  logStreamNames: string[];
  notFound: boolean;
  gaps: string[];
}

/** Streams examined per call (DescribeLogStreams `limit` maximum is 50). */
const PAGE = 50;

function overlaps(stream: LogStream, window: LogWindow): boolean {
  // Timestamps are eventually consistent and may be absent: only a known timestamp can exclude a stream.
  if (window.startTime !== undefined && stream.lastEventTimestamp !== undefined && stream.lastEventTimestamp < window.startTime) return false;
  if (window.endTime !== undefined && stream.firstEventTimestamp !== undefined && stream.firstEventTimestamp >= window.endTime) return false;
  return true;
}

/**
 * One bounded DescribeLogStreams by name prefix, for when only a prefix of the stream name is known.
 * (With a prefix, DescribeLogStreams can only order by name, so one page of 50 is read and filtered by
 * the streams' event timestamps.) Never throws.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html
 */
export async function findStreamsByPrefix(
  logs: CloudWatchLogsClient,
  ctx: CallContext,
  input: FindStreamsByPrefixInput,
): Promise<FindStreamsByPrefixResult> {
  const outcome = await callAws(
    'logs:DescribeLogStreams',
    ctx.deadline,
    { timeoutMs: ctx.callTimeoutMs, subject: `prefix ${input.logStreamNamePrefix} in log group ${input.logGroupName}` },
    (abortSignal) =>
      logs.send(new DescribeLogStreamsCommand({ logGroupName: input.logGroupName, logStreamNamePrefix: input.logStreamNamePrefix, limit: PAGE }), {
        abortSignal,
      }),
  );
  if (!outcome.ok) return { logStreamNames: [], notFound: isNotFound(outcome.error), gaps: [outcome.gap] };
  const streams = (outcome.value.logStreams ?? [])
    .filter((s) => s.logStreamName !== undefined && overlaps(s, input.window))
    .sort((a, b) => (b.lastEventTimestamp ?? 0) - (a.lastEventTimestamp ?? 0))
    .slice(0, Math.max(0, input.maxStreams));
  const gaps =
    streams.length === 0
      ? [`logs:DescribeLogStreams found no stream with prefix ${input.logStreamNamePrefix} in log group ${input.logGroupName} written while the container ran.`]
      : [];
  return { logStreamNames: streams.map((s) => s.logStreamName ?? ''), notFound: false, gaps };
}
