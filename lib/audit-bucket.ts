import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Props of {@link AuditBucket}. */
export interface AuditBucketProps {
  /** Days the audit objects, their old versions and the access logs are kept. */
  readonly retentionDays: number;
  /** Turn on S3 Object Lock with a default retention of {@link retentionDays}. */
  readonly objectLock: boolean;
  /** Object Lock mode: `GOVERNANCE` (privileged users can still delete) or `COMPLIANCE` (nobody can). */
  readonly objectLockMode: 'GOVERNANCE' | 'COMPLIANCE';
  /** The stack's customer managed key: the audit records are encrypted with it (SSE-KMS). */
  readonly key: kms.IKey;
}

/**
 * The S3 bucket that keeps every report and incident bundle the analyzer writes, plus a second
 * bucket that receives its server access logs.
 *
 * The audit bucket is encrypted with the stack's customer managed KMS key (SSE-KMS with an S3 Bucket
 * Key, so S3 asks KMS for a data key per bucket and period rather than per object,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html): the records quote log lines
 * and the incident bundle, and may hold a secret that redaction missed, so reading them takes both
 * `s3:GetObject` and `kms:Decrypt` on the key. The access-logs bucket keeps SSE-S3 (server access
 * logging only supports SSE-S3 on the destination,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
 *
 * Both buckets: all public access blocked, a bucket policy that denies requests not sent over TLS, bucket-owner
 * object ownership (ACLs disabled), and a lifecycle that expires objects after the retention. The
 * audit bucket is versioned so an overwritten or deleted report stays recoverable until the
 * lifecycle expires the old version; with Object Lock the versions cannot be deleted before the
 * retention ends (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).
 *
 * Both are retained when the stack is deleted: they hold the audit trail.
 */
export class AuditBucket extends Construct {
  /** The audit bucket. */
  readonly bucket: s3.Bucket;
  /** The bucket receiving the audit bucket's server access logs. */
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditBucketProps) {
    super(scope, id);
    // Grant the S3 logging service through a bucket policy, not the legacy log-delivery ACL (which
    // needs ACLs enabled on the log bucket). Set here, on this subtree only, so the construct
    // behaves the same whatever feature flags the enclosing app sets
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const expiry = Duration.days(props.retentionDays);
    const common = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    } as const;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      ...common,
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: expiry }],
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the destination of the audit bucket server access logs; logging it would need a third ' +
        'bucket for the same purpose, or log into itself, which S3 advises against (endless log records).',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...common,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'audit-bucket/',
      objectLockEnabled: props.objectLock,
      objectLockDefaultRetention: props.objectLock
        ? props.objectLockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(expiry)
          : s3.ObjectLockRetention.governance(expiry)
        : undefined,
      lifecycleRules: [
        {
          id: 'expire-audit-records',
          expiration: expiry,
          // Old versions only exist after an overwrite or delete; keep them as long as a current one.
          noncurrentVersionExpiration: expiry,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
  }
}
