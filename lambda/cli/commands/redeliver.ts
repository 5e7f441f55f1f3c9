import { Option, type Command } from 'commander';
import type { AuditRecord } from '../../delivery/s3-audit-sink';
import type { DeliveryOutcome } from '../../delivery/types';
import { RcaReportSchema, type RcaReport } from '../../report/report-schema';
import { BadInputError } from '../../shared/errors';
import { cutText, oneLine } from '../../shared/text';
import type { CliContext } from '../context';

/** Options of `ecs-rca redeliver`. */
export interface RedeliverOptions {
  /** SNS topic ARN; default `TOPIC_ARN`. */
  topicArn?: string;
  /** Secret holding the Slack webhook URL or bot token; default `SLACK_SECRET_ARN`. */
  slackSecret?: string;
  /** `text` or `chatbot`; default `SNS_MESSAGE_FORMAT` or `text`. */
  snsFormat?: string;
  /** Re-send to every configured channel, not only those that failed. */
  all?: boolean;
  region?: string;
}

/** Exit code when a channel refused the report after every retry. */
export const REDELIVER_FAILED_EXIT = 3;

// S3 bucket naming rules: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending
// with a letter or digit (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * `s3://bucket/key` → bucket and key.
 *
 * @throws BadInputError naming the URI (quoted, cut to 200 characters) and what is wrong with it.
 */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const shown = cutText(JSON.stringify(uri), 200);
  if (!uri.startsWith('s3://')) throw new BadInputError(`${shown}: not an S3 URI; give the audit record as s3://<bucket>/<key>`);
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  if (!BUCKET.test(bucket)) {
    throw new BadInputError(`${shown}: ${cutText(JSON.stringify(bucket), 80)} is not an S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens)`);
  }
  if (key === '') throw new BadInputError(`${shown}: no object key; give the audit record as s3://<bucket>/<key>`);
  return { bucket, key };
}

/** The environment variables the options stand for (an invalid value is then blamed on the option). */
const OPTION_OF: Readonly<Record<string, string>> = { TOPIC_ARN: '--topic-arn', SLACK_SECRET_ARN: '--slack-secret', SNS_MESSAGE_FORMAT: '--sns-format' };

/** A configuration error about a variable an option set, worded about the option. */
function optionProblem(message: string, fromOptions: ReadonlySet<string>): string {
  const name = /^environment variable ([A-Z_]+)/.exec(message)?.[1];
  const option = name && fromOptions.has(name) ? OPTION_OF[name] : undefined;
  return option ? message.replace(`environment variable ${name as string}`, `option ${option}`) : message;
}

/** The channels of an audit record that need the report again: those whose last outcome failed, or every one with `all`. */
export function channelsToRedeliver(record: Pick<AuditRecord, 'deliveries'>, configured: readonly string[], all: boolean): string[] {
  if (all) return [...configured];
  const failed = new Set((record.deliveries ?? []).filter((d) => !d.ok).map((d) => d.sink));
  // A record without outcomes was archived before (or instead of) notifying: every channel.
  return record.deliveries === undefined ? [...configured] : configured.filter((name) => failed.has(name));
}

/**
 * The action of `ecs-rca redeliver s3://bucket/key`: reads an audit record written by the Lambda,
 * checks its report against `rca-report.v1`, and sends the full report again to the channels whose
 * delivery failed (or every channel with `--all`), with the handler's sinks and retries. The AWS SDK
 * is loaded only here, when the command runs.
 *
 * @throws BadInputError for a bad URI, an unreadable object, a record that is not an audit record,
 *   an invalid channel setting, or no channel to send to.
 */
export async function runRedeliver(uri: string, options: RedeliverOptions, ctx: CliContext): Promise<void> {
  const { bucket, key } = parseS3Uri(uri);
  const [{ GetObjectCommand, S3Client }, { SNSClient }, { SecretsManagerClient }, { buildChannels }, { handlerConfigFromEnv }, { runSinkWithRetries }, { getClient }] =
    await Promise.all([
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/client-sns'),
      import('@aws-sdk/client-secrets-manager'),
      import('../../handler/dependencies'),
      import('../../handler/config'),
      import('../../delivery/deliver'),
      import('../../shared/aws-clients'),
    ]);
  const fromOptions: Record<string, string> = {
    ...(options.topicArn ? { TOPIC_ARN: options.topicArn } : {}),
    ...(options.slackSecret ? { SLACK_SECRET_ARN: options.slackSecret } : {}),
    ...(options.snsFormat ? { SNS_MESSAGE_FORMAT: options.snsFormat } : {}),
  };
  let config;
  try {
    config = handlerConfigFromEnv({ ...ctx.env, AUDIT_BUCKET_NAME: bucket, ...fromOptions });
  } catch (error) {
    throw new BadInputError(optionProblem(error instanceof Error ? error.message : String(error), new Set(Object.keys(fromOptions))), { cause: error });
  }
  const clientOptions = { ...(options.region ? { region: options.region } : {}) };
  // The channels are known before anything is read: without one, no AWS call is made.
  const channels = buildChannels(config, { sns: getClient(SNSClient, clientOptions), secrets: getClient(SecretsManagerClient, clientOptions) });
  if (channels.length === 0) throw new BadInputError('no channel to send to: set TOPIC_ARN or SLACK_SECRET_ARN, or pass --topic-arn or --slack-secret');
  const s3 = getClient(S3Client, clientOptions);
  let record: AuditRecord;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    record = JSON.parse((await object.Body?.transformToString()) ?? '') as AuditRecord;
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const why = error instanceof SyntaxError ? 'is not JSON' : `cannot be read (${name || 'error'}: ${error instanceof Error ? error.message : String(error)})`;
    throw new BadInputError(`${cutText(uri, 200)}: the audit record ${why}`, { cause: error });
  }
  const parsed = RcaReportSchema.safeParse(record?.report);
  if (!parsed.success) throw new BadInputError(`${cutText(uri, 200)}: not an audit record of ecs-incident-analyzer (no valid rca-report.v1 "report")`);
  const report: RcaReport = parsed.data;

  const wanted = new Set(channelsToRedeliver(record, channels.map((c) => c.name), options.all === true));
  if (wanted.size === 0) {
    ctx.stderr(`ecs-rca: every channel of ${oneLine(cutText(uri, 200))} accepted the report; nothing to redeliver (use --all to send it again)\n`);
    return;
  }
  const deadline = Date.now() + 60_000;
  const outcomes: DeliveryOutcome[] = await Promise.all(channels.filter((c) => wanted.has(c.name)).map((channel) => runSinkWithRetries(channel, report, { deadline })));
  for (const outcome of outcomes) {
    ctx.stdout(`${outcome.sink}: ${outcome.ok ? `delivered${outcome.detail ? ` (${outcome.detail})` : ''}` : `FAILED: ${outcome.error ?? 'unknown error'}`}\n`);
  }
  if (outcomes.some((o) => !o.ok)) ctx.exitCode = REDELIVER_FAILED_EXIT;
}

const EXAMPLES = `
Examples:
  $ ecs-rca redeliver s3://my-audit-bucket/incidents/year=2026/month=01/day=15/app_crash_loop-1a2b-904d….json
  $ TOPIC_ARN=arn:aws:sns:eu-west-1:111122223333:ecs-incidents ecs-rca redeliver s3://… --all

The key is in the function's log line "Delivery failed" and in the DeliveryFailures alarm's period.
Channels come from the same variables as the Lambda (TOPIC_ARN, SLACK_SECRET_ARN, SNS_MESSAGE_FORMAT,
SLACK_API_URL) or the options; credentials and Region from the default chain. Each channel is tried
3 times with backoff. Needs s3:GetObject on the record, sns:Publish, secretsmanager:GetSecretValue.
Exit codes: 0 delivered (or nothing to redeliver), 2 bad input (URI, record, settings),
3 a channel refused the report after every try, 1 internal error.`;

/** Registers `redeliver s3://bucket/key [--topic-arn ARN] [--slack-secret ID] [--sns-format F] [--all] [--region R]`. */
export function registerRedeliver(program: Command, ctx: CliContext): void {
  program
    .command('redeliver')
    .summary('send a report again from its S3 audit record')
    .description('Read an audit record the Lambda wrote and send its report again to the channels whose delivery failed (or to every channel with --all).')
    .argument('<s3-uri>', 'the audit record: s3://<bucket>/<key>')
    .option('--topic-arn <arn>', 'SNS topic (default: TOPIC_ARN)')
    .option('--slack-secret <id>', 'Secrets Manager secret with the Slack webhook URL or bot token (default: SLACK_SECRET_ARN)')
    .addOption(new Option('--sns-format <format>', 'SNS message format (default: SNS_MESSAGE_FORMAT or text)').choices(['text', 'chatbot']))
    .option('--all', 'send to every configured channel, not only those that failed')
    .option('--region <region>', 'AWS Region (default: AWS_REGION or the profile)')
    .addHelpText('after', EXAMPLES)
    .action(async (uri: string, options: RedeliverOptions) => runRedeliver(uri, options, ctx));
}
