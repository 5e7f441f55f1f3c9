import type { RuleCases } from '../rule-tester';

// The nginx image's entrypoint notes a file it cannot modify, then nginx itself fails
// (https://github.com/nginxinc/docker-nginx/blob/master/entrypoint/10-listen-on-ipv6-by-default.sh,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security).
const NOTICE = '10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)';
const EMERG = '2024/03/01 10:00:00 [emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)';

export const cases: RuleCases = {
  match: [{ name: "nginx's own failure over the entrypoint's notice", log: [NOTICE, EMERG], exitCode: 1, cites: EMERG, title: 'Read-only file system at /var/cache/nginx/client_temp', rootCause: true }],
  noMatch: [{ name: 'a writable file system', log: 'Wrote /tmp/cache/index' }],
  notApplicable: [{ name: 'no logs' }],
};
