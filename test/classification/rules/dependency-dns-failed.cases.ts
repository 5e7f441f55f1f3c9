import type { RuleCases } from '../rule-tester';

// redis-py names the host in its ConnectionError, the socket error before it does not
// (https://redis-py.readthedocs.io/en/stable/exceptions.html, https://docs.python.org/3/library/socket.html#socket.gaierror).
const GAIERROR = 'socket.gaierror: [Errno -2] Name or service not known';
const REDIS = 'redis.exceptions.ConnectionError: Error -2 connecting to sessions.abc123.0001.euw1.cache.amazonaws.com:6379. Name or service not known.';

export const cases: RuleCases = {
  match: [
    {
      name: 'the line naming host:port over the bare socket error',
      log: ['Traceback (most recent call last):', GAIERROR, '', 'During handling of the above exception, another exception occurred:', REDIS],
      exitCode: 1,
      cites: REDIS,
      title: 'Host name sessions.abc123.0001.euw1.cache.amazonaws.com (port 6379, Redis) does not resolve',
      rootCause: true,
    },
  ],
  noMatch: [
    { name: 'a resolved host', log: 'Connected to sessions.abc123.0001.euw1.cache.amazonaws.com:6379' },
    // A metrics client that cannot send is noise (https://github.com/brightcove/hot-shots#errors); the task's own
    // host name is local-hostname-unresolvable's (https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/net/InetAddress.html#getLocalHost()).
    { name: "a metrics client's send failure", exitCode: 1, log: 'Error sending hot-shots message: Error: getaddrinfo ENOTFOUND host.docker.internal' },
    { name: "the task's own host name", exitCode: 1, log: 'java.net.UnknownHostException: 823064ca3923: 823064ca3923: Name or service not known' },
  ],
  notApplicable: [{ name: 'no logs' }],
};
