import type { RuleCases } from '../rule-tester';

// `InetAddress.getLocalHost()` names the host twice in its UnknownHostException, and JMX/debug agents wrap it as
// `Local host name unknown` (https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/net/InetAddress.html#getLocalHost(),
// https://github.com/prisma/prisma1/issues/2023); `hostname -i` prints `hostname: Name or service not known`
// (https://man7.org/linux/man-pages/man1/hostname.1.html).
const EXITED = { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCode: 1 };
const AGENT = 'Error: Exception thrown by the agent : java.net.MalformedURLException: Local host name unknown: java.net.UnknownHostException: 823064ca3923: 823064ca3923: System error';
const GET_LOCAL_HOST = 'java.net.UnknownHostException: ip-10-0-1-23: ip-10-0-1-23: Name or service not known';
const HOSTNAME_I = 'hostname: Name or service not known';

export const cases: RuleCases = {
  match: [
    { ...EXITED, log: ['Listening for transport dt_socket at address: 8000', AGENT], cites: AGENT, title: 'The program in container app could not resolve its own host name', rootCause: true },
    { ...EXITED, log: GET_LOCAL_HOST, cites: GET_LOCAL_HOST, rootCause: true },
    { ...EXITED, log: ['+ export HOST_IP=$(hostname -i)', HOSTNAME_I], cites: HOSTNAME_I },
  ],
  noMatch: [
    // A dependency's name (said once) is the DNS rule's.
    { ...EXITED, name: "a dependency's host name", log: 'java.net.UnknownHostException: db.internal: Name or service not known' },
    { ...EXITED, name: 'two different names', log: 'java.net.UnknownHostException: kafka-0: kafka-1: Name or service not known' },
  ],
  notApplicable: [{ ...EXITED, name: 'no logs' }],
};
