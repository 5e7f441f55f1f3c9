import { createHash } from 'node:crypto';
import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import type { RcaReport } from '../report/report-schema';
import { renderSns, type SnsFormat, type SnsRendering } from '../report/renderers/sns';
import { describeError, withTimeout } from '../shared/http-timeout';
import type { DeliveryContext, DeliveryOutcome, Sink } from './types';
import { wellFormed } from '../shared/text';

/** Options of `SnsSink`. */
export interface SnsSinkOptions {
  /** Built once by the caller (region, endpoint, retries). */
  client: SNSClient;
  topicArn: string;
  /** `text` (default) for email/SQS/HTTP subscribers, `chatbot` for Amazon Q Developer in chat applications. */
  format?: SnsFormat;
  /** Timeout of the Publish call in ms (capped by the delivery deadline); default 5 000. */
  timeoutMs?: number;
}

/**
 * Publishes the report to an SNS topic: subject, body and the `category`, `severity`, `cluster`,
 * `service` and `alert` message attributes (see `renderSns`).
 *
 * FIFO topics (ARN ending in `.fifo`) require a `MessageGroupId`, and a `MessageDeduplicationId` unless
 * content-based deduplication is on: the group is the incident, so one incident's messages stay in
 * order, and the deduplication id is derived from the incident and the event, so a retried invocation
 * within SNS's 5-minute window does not publish twice
 * (https://docs.aws.amazon.com/sns/latest/dg/fifo-message-dedup.html).
 */
export class SnsSink implements Sink {
  readonly name = 'sns';
  private readonly client: SNSClient;
  private readonly topicArn: string;
  private readonly format: SnsFormat;
  readonly timeoutMs: number;

  constructor(options: SnsSinkOptions) {
    this.client = options.client;
    this.topicArn = options.topicArn;
    this.format = options.format ?? 'text';
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /** Publishes; `ok: false` with the SNS error name and message, or the timeout, on failure. */
  async deliver(report: RcaReport, ctx: DeliveryContext): Promise<DeliveryOutcome> {
    let rendered: SnsRendering;
    try {
      rendered = renderSns(report, { format: this.format });
    } catch (error) {
      return { sink: this.name, ok: false, detail: this.topicArn, error: describeError(error) };
    }
    return this.publish(rendered, { groupKey: report.incidentKey, deduplicationKey: `${report.incidentKey}\n${report.trigger.eventId}` }, ctx);
  }

  /** The body format this sink publishes (`SNS_MESSAGE_FORMAT`). */
  get messageFormat(): SnsFormat {
    return this.format;
  }

  /**
   * Publishes an already rendered message, e.g. an incident follow-up. On a FIFO topic `groupKey`
   * (the incident key) orders one incident's messages and `deduplicationKey` identifies this message.
   * `ok: false` with the SNS error name and message, or the timeout, on failure.
   */
  async publish(rendered: SnsRendering, keys: { groupKey: string; deduplicationKey: string }, ctx: DeliveryContext): Promise<DeliveryOutcome> {
    try {
      const input: PublishCommandInput = {
        TopicArn: this.topicArn,
        // A lone surrogate (half an emoji in a log line) makes the SDK's query encoder throw
        // `URIError: URI malformed`; a publish must never fail on text.
        Subject: wellFormed(rendered.subject),
        Message: wellFormed(rendered.message),
        MessageAttributes: Object.fromEntries(
          Object.entries(rendered.messageAttributes).map(([name, value]) => [name, { ...value, StringValue: wellFormed(value.StringValue) }]),
        ),
        ...(this.topicArn.endsWith('.fifo')
          ? {
              MessageGroupId: sha256(keys.groupKey).slice(0, 64),
              MessageDeduplicationId: sha256(keys.deduplicationKey),
            }
          : {}),
      };
      const output = await withTimeout({ timeoutMs: this.timeoutMs, deadline: ctx.deadline, signal: ctx.signal }, 'SNS Publish', (abortSignal) =>
        this.client.send(new PublishCommand(input), { abortSignal }),
      );
      return { sink: this.name, ok: true, detail: `published to ${this.topicArn} as ${this.format} (MessageId ${output.MessageId ?? 'unknown'})` };
    } catch (error) {
      return { sink: this.name, ok: false, detail: this.topicArn, error: describeError(error) };
    }
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
