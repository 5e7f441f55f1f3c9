import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/**
 * The DynamoDB table of the handler's short-lived state, shared by two users whose keys never meet:
 * - Powertools idempotency records (`IDEMPOTENCY_TABLE_NAME`), one per processed event, keyed
 *   `<function name>#<hash>`;
 * - incident records (`INCIDENT_TABLE_NAME`), keyed `incident#<incidentKey>` and `service#<service>`.
 *
 * Partition key `id` (string) and TTL attribute `expiration` (epoch seconds) are the Powertools
 * DynamoDB persistence layer's defaults
 * (https://docs.aws.amazon.com/powertools/typescript/latest/features/idempotency/#dynamodb-table).
 * On-demand capacity: a handful of writes per incident, nothing to provision. Encrypted with the
 * AWS managed key (`aws/dynamodb`), which the function's role may use through DynamoDB without a key
 * grant. Point-in-time recovery is on (cdk-nag `AwsSolutions-DDB3`). Deleted with the stack: losing
 * it costs at most one repeated notification per open incident.
 */
export class IncidentTable extends Construct {
  /** Partition key attribute. */
  static readonly PARTITION_KEY = 'id';
  /** TTL attribute (epoch seconds). */
  static readonly TTL_ATTRIBUTE = 'expiration';

  /** The table. */
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: IncidentTable.PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: IncidentTable.TTL_ATTRIBUTE,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
