import type { Rule } from '../types';
import { stopTextHits, stopTextResult } from '../stop-text-finding';

// ECS's `InvalidParameterException: Error retrieving subnet information for [subnet-…]: The subnet ID
// 'subnet-…' does not exist (ErrorCode: InvalidSubnetID.NotFound)` and the security-group equivalent
// (`InvalidGroup.NotFound`), in service events or stop reasons.
const NOT_FOUND =
  /InvalidSubnetID\.NotFound|InvalidGroup\.NotFound|InvalidSecurityGroupID\.NotFound|The subnet ID '[^'\n]{1,100}' does not exist|The security group '[^'\n]{1,100}' does not exist/i;

/** A subnet or security group in the task's network configuration does not exist. */
export const networkResourceNotFound: Rule = {
  id: 'network-resource-not-found',
  category: 'network_config_failed',
  title: 'Subnet or security group of the task does not exist',
  remediation: [
    'Update the service (or the run-task call / EventBridge target) `awsvpcConfiguration` with subnets and security groups that exist in this account, Region and VPC; deleted or recreated resources get new ids.',
    'If the ids come from infrastructure code, redeploy the stack that owns the service so it picks up the current ids.',
  ],
  sources: ['https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html'],
  match(evidence) {
    return stopTextResult(stopTextHits(evidence, NOT_FOUND), {
      title: 'A subnet or security group in the network configuration does not exist',
      explanation:
        'The network configuration names a subnet or security group that EC2 does not know (deleted, misspelt, or from another VPC, account or Region), so ECS could not create the task\'s network interface.',
      confidence: { task: 0.95, context: 0.8 },
    });
  },
};
