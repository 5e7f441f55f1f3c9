import { NO_MATCH, type Rule } from '../types';
import { normaliseText } from '../evidence-text';
import { hitFinding, ownFirst, resultOf } from '../finding';
import { stopTextHits } from '../stop-text-finding';

// Go's net/http and the AWS SDK for Go (used by the ECS and Fargate agents) print these when a TCP
// connection or request to a registry or AWS endpoint never completes. `Please check your task
// network configuration` is the hint Fargate appends to such failures.
const TIMEOUT =
  /i\/o timeout|context deadline exceeded|request canceled while waiting for connection|Client\.Timeout exceeded|connect: connection timed out|TLS handshake timeout|dial tcp [^\n]{0,120}?timeout|context canceled/i;
const NETWORK_HINT = /Please check your task network configuration/i;
// Only texts about the agent's own work before the program starts (image pull, secrets, registry auth,
// the log driver) mean the task's network path is missing; the same words in an application log are
// a dependency problem, and `failed to create shim task: context deadline exceeded` is a runtime one.
const AGENT_PHASE =
  /CannotPullContainerError|ResourceInitializationError|unable to pull secrets or registry auth|registry auth|logging driver|\.amazonaws\.com|registry-1\.docker\.io|pull image manifest|failed to resolve ref|failed to copy|fetching secret/i;
// EFS mount failures have their own rule (volume_mount_failed).
const EFS = /EFS utils|mount\.nfs/i;

// No network path, without the word timeout: the secrets/registry-auth pull the Fargate agent kills when
// it cannot finish (`pull command failed: : signal: killed`), an AWS endpoint name that does not resolve
// (the VPC has DNS resolution off: `lookup logs.REGION.amazonaws.com …: no such host`), and two messages
// AWS documents for a registry the task cannot reach but which give no status
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html).
const NO_PATH = /unable to pull secrets or registry auth: pull command failed: : signal: killed|lookup [\w-]{1,63}(?:\.[\w-]{1,63}){0,6}\.amazonaws\.com(?:\.cn)?(?: on [\d.:]{1,45})?: no such host/i;
// Ambiguous: ECR endpoint access or permissions (`CannotPullContainerError: API error` and nothing
// else), or a layer download cut off before the registry's status (`failed open: unexpected status code`
// at the end): most often the route to ECR or to S3, which serves the layers.
const NO_STATUS = /CannotPullContainerError: API error\s*$|httpReaderSeeker: failed open: unexpected status code\s*$/i;

/**
 * Whether a stop reason or service event says an agent-side call (image pull, Secrets Manager, SSM,
 * ECR auth, CloudWatch Logs) timed out for want of a network path. Other rules that read the same
 * texts (secrets, image, log driver) use it to leave such texts to this rule.
 */
export function isEgressTimeout(text: string): boolean {
  const t = normaliseText(text);
  if (EFS.test(t)) return false;
  if (NETWORK_HINT.test(t) || NO_PATH.test(t) || NO_STATUS.test(t)) return true;
  return TIMEOUT.test(t) && AGENT_PHASE.test(t);
}

const MATCHER = new RegExp(
  `Please check your task network configuration|i\\/o timeout|context deadline exceeded|request canceled while waiting for connection|Client\\.Timeout exceeded|connection timed out|TLS handshake timeout|timeout|context canceled|${NO_PATH.source}|${NO_STATUS.source}`,
  'i',
);

/** What the agent was trying to reach, from the text, for a specific remediation step. */
function endpointStep(text: string): string | undefined {
  if (/no such host/i.test(text)) return 'An AWS endpoint name did not resolve: turn on DNS resolution and DNS hostnames for the VPC (`enableDnsSupport`, `enableDnsHostnames`), which interface VPC endpoints and Fargate need.';
  if (/signal: killed/i.test(text)) return 'The agent gave up fetching secrets or registry credentials: give the task subnets a route to Secrets Manager, SSM and ECR (NAT gateway or interface VPC endpoints), and check that the task security group allows outbound HTTPS.';
  if (NO_STATUS.test(text)) return 'The registry gave no status: check the route to Amazon ECR (`ecr.api`, `ecr.dkr`) and to Amazon S3 (the gateway endpoint serving image layers), and any endpoint policy; if those are fine, check that the execution role may pull the image.';
  if (/asm|secrets ?manager/i.test(text)) return 'The call that timed out was to AWS Secrets Manager: give the task subnets a route to it (NAT gateway, or a `com.amazonaws.<region>.secretsmanager` interface VPC endpoint).';
  if (/ssm/i.test(text)) return 'The call that timed out was to SSM Parameter Store: give the task subnets a route to it (NAT gateway, or a `com.amazonaws.<region>.ssm` interface VPC endpoint).';
  if (/logging driver|logs\./i.test(text)) return 'The call that timed out was to CloudWatch Logs: give the task subnets a route to it (NAT gateway, or a `com.amazonaws.<region>.logs` interface VPC endpoint).';
  if (/ecr|\.dkr\./i.test(text)) return 'The call that timed out was to Amazon ECR: with VPC endpoints you need `ecr.api`, `ecr.dkr` and the S3 gateway endpoint (image layers are served from S3).';
  if (/docker\.io|CannotPullContainerError/i.test(text)) return 'The image pull timed out: a registry on the internet (e.g. Docker Hub) needs a NAT gateway, or a public IP in a public subnet.';
  return undefined;
}

/** The task could not reach a registry or AWS endpoint it needs before the program started. */
export const networkEgressBlocked: Rule = {
  id: 'network-egress-blocked',
  category: 'network_egress_blocked',
  title: 'Task cannot reach a registry or AWS endpoint (no network path)',
  remediation: [
    'Private subnets: add a route to a NAT gateway, or create interface VPC endpoints for the services the task uses (ecr.api, ecr.dkr, logs, secretsmanager, ssm) plus the S3 gateway endpoint for ECR image layers.',
    'Public subnets on Fargate: set `assignPublicIp` to `ENABLED` in the service or run-task network configuration.',
    'Check that the task security group allows outbound HTTPS (TCP 443), that the endpoints\' security groups allow inbound 443 from the task, and that the VPC has DNS resolution and DNS hostnames enabled.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
    'https://repost.aws/knowledge-center/ecs-unable-to-pull-secrets',
    'https://docs.aws.amazon.com/AmazonECS/latest/userguide/stopped-task-error-codes.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html',
    'https://repost.aws/knowledge-center/ecs-pull-container-api-error-ecr',
  ],
  match(evidence) {
    const hit = ownFirst(stopTextHits(evidence, MATCHER, (text) => !isEgressTimeout(text)));
    if (!hit) return NO_MATCH;
    const step = endpointStep(hit.item.text);
    // Without a status the message could also be a permission problem: a likely cause, not a proven one.
    const unsure = NO_STATUS.test(normaliseText(hit.item.text));
    return resultOf(
      hitFinding(hit, {
        title: 'The task could not reach an endpoint it needs before starting: the network path is missing',
        explanation:
          'Before the program starts, the ECS/Fargate agent pulls the image, fetches secrets and registry credentials and opens the log stream from inside the task\'s network. Here one of those calls timed out, which means the task\'s subnets have no working route (NAT gateway, internet gateway with a public IP, or VPC endpoint) to that service, or a security group blocks outbound HTTPS. The permissions are not the problem: the request never got an answer.',
        confidence: unsure ? { task: 0.65, context: 0.45 } : { task: 0.95, context: 0.75 },
        ...(step ? { remediation: [step] } : {}),
      }),
    );
  },
};
