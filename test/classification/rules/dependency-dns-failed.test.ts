import { dependencyDnsFailed } from '../../../lambda/classification/rules/dependency-dns-failed';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('dependency-dns-failed', () => {
  it('matches nginx host not found in upstream and explains compose service names on ECS', () => {
    const logs = appLogs('[13-May-2020 08:12:03] NOTICE: ready to handle connections', 'nginx: [emerg] host not found in upstream "php-fpm:9000" in /etc/nginx/conf.d/default.conf:23');
    const result = dependencyDnsFailed.match(taskStopped({}, { logs }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence.map((e) => e.text)).toEqual(['nginx: [emerg] host not found in upstream "php-fpm:9000" in /etc/nginx/conf.d/default.conf:23']);
    expect(finding?.category).toBeUndefined();
    const steps = (finding?.remediation ?? []).join('\n');
    expect(steps).toContain('127.0.0.1:9000');
    expect(steps).toContain('Service Connect');
  });

  it('matches getaddrinfo ENOTFOUND and libpq could not translate host name', () => {
    for (const line of ['Error: getaddrinfo ENOTFOUND db', 'could not translate host name "postgres" to address: Name or service not known']) {
      expect(dependencyDnsFailed.match(taskStopped({}, { logs: appLogs(line) })).status).toBe('match');
    }
  });

  it('classifies an AWS API endpoint that does not resolve as network_egress_blocked', () => {
    const result = dependencyDnsFailed.match(taskStopped({}, { logs: appLogs('Error: getaddrinfo EAI_AGAIN sqs.us-east-1.amazonaws.com') }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.category).toBe('network_egress_blocked');
  });

  it('does not match a refused connection', () => {
    expect(dependencyDnsFailed.match(taskStopped({}, { logs: appLogs('connect ECONNREFUSED 127.0.0.1:5432') })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(dependencyDnsFailed.match(taskStopped()).status).toBe('not_applicable');
  });
});
