import { networkResourceNotFound } from '../../../lambda/classification/rules/network-resource-not-found';
import { serviceEvents, taskStopped } from '../../helpers/evidence';

describe('network-resource-not-found', () => {
  it('matches a security group that does not exist', () => {
    const message =
      "(service web) failed to launch a task with (error InvalidParameterException: Error retrieving security group information for [sg-01607c94e2d82ca08]: The security group 'sg-01607c94e2d82ca08' does not exist (ErrorCode: InvalidGroup.NotFound)).";
    const result = networkResourceNotFound.match(taskStopped({}, { services: serviceEvents(message) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toContain("The security group 'sg-01607c94e2d82ca08' does not exist");
  });

  it('matches a subnet that does not exist', () => {
    const result = networkResourceNotFound.match(
      taskStopped({ stoppedReason: "Error retrieving subnet information for [subnet-058326610d44d9229]: The subnet ID 'subnet-058326610d44d9229' does not exist (ErrorCode: InvalidSubnetID.NotFound)" }),
    );
    expect(result.status).toBe('match');
  });

  it('does not match an image that does not exist', () => {
    expect(networkResourceNotFound.match(taskStopped({ stoppedReason: 'CannotPullContainerError: repository does not exist' })).status).toBe('no_match');
  });
});
