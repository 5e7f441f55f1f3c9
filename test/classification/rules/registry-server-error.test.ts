import { registryServerError } from '../../../lambda/classification/rules/registry-server-error';
import { taskStopped } from '../../helpers/evidence';

const SERVER =
  'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref "111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2": unexpected status code [manifests 1.4.2]: 503 Service Unavailable';

describe('registry-server-error', () => {
  it('matches a pull the registry answered with 5xx', () => {
    const result = registryServerError.match(taskStopped({ containers: [{ name: 'app', reason: SERVER }] }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(SERVER);
    expect(result.findings[0]?.confidence).toBe(0.95);
  });

  it('does not match a 403 or a 5xx in an application log line of the stop reason', () => {
    const forbidden = SERVER.replace('503 Service Unavailable', '403 Forbidden');
    expect(registryServerError.match(taskStopped({ containers: [{ name: 'app', reason: forbidden }] })).status).toBe('no_match');
    expect(registryServerError.match(taskStopped({ stoppedReason: 'upstream answered 503 Service Unavailable' })).status).toBe('no_match');
  });
});
