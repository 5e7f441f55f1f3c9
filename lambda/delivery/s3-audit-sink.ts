import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { RcaReportSchema, type RcaReport } from '../report/report-schema';
import { describeError, withTimeout } from '../shared/http-timeout';
import type { DeliveryContext, DeliveryOutcome, Sink } from './types';

/** The JSON object stored per analysed event. `report` is `rca-report.v1`. */
export interface AuditRecord {
  report: RcaReport;
  /** The captured `incident-bundle.v1`, when the caller passed one. */
  bundle?: unknown;
  /** Notification outcomes, present once notifications ran (the record is rewritten then). */
  deliveries?: DeliveryOutcome[];
}

/** Options of `S3AuditSink`. */
export interface S3AuditSinkOptions {
  /** Built once by the caller (region, endpoint, retries). */
  client: S3Client;
  bucket: string;
  /** Key prefix; default `incidents/`. A trailing `/` is added when missing; `''` puts partitions at the root. */
  prefix?: string;
  /** Timeout of the PutObject call in ms (capped by the delivery deadline); default 10 000. */
  timeoutMs?: number;
}

/** Default key prefix of audit records. */
export const DEFAULT_AUDIT_PREFIX = 'incidents/';

const STEM_MAX_CHARS = 160;

/**
 * The object key of a report's audit record:
 * `${prefix}year=YYYY/month=MM/day=DD/<incidentKey>-<eventId>.json`.
 *
 * The date is the triggering event's `time` in UTC (falling back to `analyzedAt`), so a retried
 * invocation writes the same key instead of a duplicate. `year=`/`month=`/`day=` are Hive-style
 * partitions that Athena can prune (https://docs.aws.amazon.com/athena/latest/ug/partitions.html).
 * Characters outside S3's safe set (letters, digits, `-`, `_`, `.`) are replaced with `-`
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html); a stem cut for length
 * keeps a short hash of the original so different keys stay different.
 */
export function auditObjectKey(report: RcaReport, prefix: string = DEFAULT_AUDIT_PREFIX): string {
  const when = firstValidDate(report.trigger.time, report.analyzedAt) ?? new Date();
  const year = String(when.getUTCFullYear()).padStart(4, '0');
  const month = String(when.getUTCMonth() + 1).padStart(2, '0');
  const day = String(when.getUTCDate()).padStart(2, '0');
  const normalisedPrefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  const stem = `${safeSegment(report.incidentKey, STEM_MAX_CHARS)}-${safeSegment(report.trigger.eventId, 80)}`;
  return `${normalisedPrefix}year=${year}/month=${month}/day=${day}/${stem}.json`;
}

/**
 * Writes `{ report, bundle, deliveries? }` as JSON to S3. Encryption is the bucket's default
 * (SSE-S3 or SSE-KMS configured on the bucket), so no SSE parameter is sent.
 *
 * The report is validated against `rca-report.v1` first: the audit record is a public format, and an
 * invalid report is a bug that must fail the invocation (and so reach the DLQ) rather than be archived.
 */
export class S3AuditSink implements Sink {
  readonly name = 's3-audit';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  readonly timeoutMs: number;

  constructor(options: S3AuditSinkOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? DEFAULT_AUDIT_PREFIX;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Writes the record; `ok: false` with the reason when validation, S3 or the timeout fails. */
  async deliver(report: RcaReport, ctx: DeliveryContext): Promise<DeliveryOutcome> {
    const key = auditObjectKey(report, this.prefix);
    const where = `s3://${this.bucket}/${key}`;
    try {
      const parsed = RcaReportSchema.safeParse(report);
      if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
        throw new Error(`report does not match rca-report.v1: ${issues.join('; ')}`);
      }
      const record: AuditRecord = {
        report: parsed.data,
        ...(ctx.bundle !== undefined ? { bundle: ctx.bundle } : {}),
        ...(ctx.deliveries ? { deliveries: ctx.deliveries } : {}),
      };
      const body = JSON.stringify(record);
      await withTimeout({ timeoutMs: this.timeoutMs, deadline: ctx.deadline, signal: ctx.signal }, 'S3 PutObject', (abortSignal) =>
        this.client.send(
          new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }),
          { abortSignal },
        ),
      );
      return { sink: this.name, ok: true, detail: where };
    } catch (error) {
      return { sink: this.name, ok: false, detail: where, error: describeError(error) };
    }
  }
}

function firstValidDate(...candidates: string[]): Date | undefined {
  for (const candidate of candidates) {
    const date = new Date(candidate);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return undefined;
}

function safeSegment(value: string, maxChars: number): string {
  const safe = trimDashesAndDots(value.replace(/[^A-Za-z0-9._-]+/g, '-')) || 'unknown';
  if (safe.length <= maxChars) return safe;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 12);
  return `${safe.slice(0, maxChars - hash.length - 1)}-${hash}`;
}

// A loop rather than /[-.]+$/, which backtracks quadratically over long runs of dashes.
function trimDashesAndDots(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value[start] === '-' || value[start] === '.')) start += 1;
  while (end > start && (value[end - 1] === '-' || value[end - 1] === '.')) end -= 1;
  return value.slice(start, end);
}
