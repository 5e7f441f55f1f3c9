import type { Category } from '../taxonomy';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findAll, logLines } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';

/**
 * The ECS container agent's own log (`/var/log/ecs/ecs-agent.log`, or a CloudWatch stream of it) when it
 * cannot reach the ECS endpoints: its connections to the Agent Communication Service and the Telemetry
 * Connection Service (`Error connecting to ACS: dial tcp …:443: i/o timeout`, `Error connecting to TCS: …`),
 * and registration or discovery calls (`Unable to register as a container instance with ECS: RequestError:
 * send request failed … dial tcp …: i/o timeout`, `Unable to discover poll endpoint … timeout`). Only with a
 * network failure after it (timeout, unreachable, no such host): a rejected call is a permission problem.
 */
const AGENT_CALL =
  /\b(?:Error connecting to (?:ACS|TCS)|Unable to register as a container instance with ECS|Unable to discover (?:poll|telemetry) endpoint|Error registering|Unable to get (?:the )?(?:ACS|TCS|telemetry|poll) endpoint|Error getting (?:ACS|TCS|telemetry|poll) endpoint|could not connect to (?:the )?(?:ACS|TCS|ECS)\b)[^\n]{0,400}?(?:i\/o timeout|connection timed out|context deadline exceeded|network is unreachable|no route to host|no such host|TLS handshake timeout|Client\.Timeout exceeded)/i;

/** Without the agent's connection, no task can be placed on the instance. */
const EXPLAINS: readonly Category[] = ['placement_failed'];

/** The ECS agent on a container instance cannot reach the ECS endpoints: the instance's network path is missing. */
export const ecsAgentEndpointUnreachable: Rule = {
  id: 'ecs-agent-endpoint-unreachable',
  logPatterns: [AGENT_CALL],
  category: 'network_egress_blocked',
  title: 'The ECS container agent cannot reach the ECS endpoints (no network path from the container instance)',
  remediation: [
    "Give the container instances' subnets a route to the ECS endpoints: a NAT gateway (private subnets), an internet gateway with public IPs, or the interface VPC endpoints `com.amazonaws.<region>.ecs`, `ecs-agent` and `ecs-telemetry`.",
    "Check that the instances' security group and network ACLs allow outbound HTTPS (TCP 443) and that the VPC has DNS resolution and DNS hostnames enabled.",
    'Until the agent connects, the instance is not usable in the cluster: placement fails with "No Container Instances were found" or the agent shows as disconnected.',
  ],
  sources: [
    'https://repost.aws/knowledge-center/ecs-agent-disconnected-linux2-ami',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/logs.html',
  ],
  match(evidence) {
    const lines = logLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findAll(lines, AGENT_CALL)[0];
    if (!hit) return NO_MATCH;
    const finding = hitFinding(hit, {
      title: 'The ECS container agent could not reach the ECS endpoints: the container instance has no network path to them',
      explanation:
        "The ECS container agent keeps connections to the ECS service (the Agent Communication Service, ACS, and telemetry, TCS) to register the instance and to receive tasks. Its log shows those connections timing out, so the instance's subnet has no working route to the ECS endpoints (NAT gateway, internet gateway with a public IP, or VPC endpoints), or a security group or network ACL blocks outbound HTTPS. While the agent is cut off, ECS cannot place tasks on the instance.",
      confidence: 0.85,
    });
    return resultOf({ ...finding, explains: EXPLAINS });
  },
};
