import type { RuleCases } from '../rule-tester';
import { containerDefinition, taskDefinition } from '../../helpers/evidence';

// The nginx image's entrypoint notes a file it cannot modify, then nginx itself fails
// (https://github.com/nginxinc/docker-nginx/blob/master/entrypoint/10-listen-on-ipv6-by-default.sh,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security).
const NOTICE = '10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)';
const EMERG = '2024/03/01 10:00:00 [emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)';

// The .NET host cannot create its diagnostics socket and mapped files in /tmp on a read-only root
// (https://github.com/aws/amazon-ecs-agent/issues/3299, https://learn.microsoft.com/en-us/dotnet/core/runtime-config/debugging-profiling);
// Python's tempfile finds no writable directory (https://docs.python.org/3/library/tempfile.html#tempfile.gettempdir).
const CORECLR = 'Failed to create CoreCLR, HRESULT: 0x80004005';
const PY_TMP = "FileNotFoundError: [Errno 2] No usable temporary directory found in ['/tmp', '/var/tmp', '/usr/tmp', '/app']";
const READ_ONLY_ROOT = { taskDefinition: taskDefinition([containerDefinition('app', { readonlyRootFilesystem: true })]) };

export const cases: RuleCases = {
  match: [
    { name: "nginx's own failure over the entrypoint's notice", log: [NOTICE, EMERG], exitCode: 1, cites: EMERG, title: 'Read-only file system at /var/cache/nginx/client_temp', rootCause: true },
    { name: 'the .NET host on a read-only root', log: CORECLR, exitCode: 137, evidence: READ_ONLY_ROOT, cites: CORECLR, title: 'The runtime in container app cannot start on a read-only root file system', rootCause: true },
    { name: 'Python without a writable temporary directory', log: PY_TMP, exitCode: 1, evidence: READ_ONLY_ROOT, cites: PY_TMP },
  ],
  noMatch: [
    { name: 'a writable file system', log: 'Wrote /tmp/cache/index' },
    // Without readonlyRootFilesystem the same host failure is another fault (fatal-log-line's).
    { name: 'the .NET host on a writable root', log: CORECLR, exitCode: 137, evidence: { taskDefinition: taskDefinition([containerDefinition('app')]) } },
  ],
  notApplicable: [{ name: 'no logs' }],
};
