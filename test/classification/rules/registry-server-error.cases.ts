import type { RuleCases } from '../rule-tester';

// https://docs.aws.amazon.com/AmazonECR/latest/userguide/common-errors.html
const SERVER =
  'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref "111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2": unexpected status code [manifests 1.4.2]: 503 Service Unavailable';

export const cases: RuleCases = {
  match: [{ name: 'the registry answered the pull with 503', containerReason: SERVER, cites: SERVER, scope: 'task', rootCause: true }],
  noMatch: [
    { name: 'the registry refused the credentials (403)', containerReason: SERVER.replace('503 Service Unavailable', '403 Forbidden') },
    { name: 'a 5xx in a stop reason that is not a pull', stoppedReason: 'upstream answered 503 Service Unavailable' },
  ],
};
