import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { portNear, streamLines } from '../log-patterns';

// Node `listen EADDRINUSE: address already in use :::3000`, POSIX `[Errno 98] Address already in use`,
// nginx `bind() to 0.0.0.0:80 failed (98: Address already in use)`, Spring Boot `Port 8080 was already
// in use.`, Windows/.NET `Only one usage of each socket address`, generic `Failed to bind to`.
const IN_USE = /\bEADDRINUSE\b|\baddress already in use\b|\bPort \d{1,5} (?:was|is) already in use\b|\bOnly one usage of each socket address\b|\bFailed to bind to\b/i;

/** The program could not listen because its port is already taken. */
export const portAlreadyInUse: Rule = {
  id: 'port-already-in-use',
  logPatterns: [IN_USE],
  category: 'port_bind_failed',
  title: 'The port is already in use (EADDRINUSE, address already in use)',
  remediation: [
    'In `awsvpc` network mode (always on Fargate) all containers of a task share one network namespace: two containers of the task (the app and a sidecar such as a proxy or agent) cannot listen on the same port. Give each its own port and update `portMappings` and the target group.',
    'Check that the program does not start its server twice (an entrypoint script that starts it and a CMD that starts it again, or a framework dev server started next to gunicorn/uvicorn).',
    'In `bridge`/`host` mode on EC2, a static `hostPort` can be used once per instance: use dynamic host ports (`hostPort` 0) with the load balancer.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_portmappings',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findFirst(lines, IN_USE);
    if (!hit) return NO_MATCH;
    const port = portNear(hit.item.text, hit.index);
    return resultOf(
      hitFinding(hit, {
        title: port ? `Port ${port} is already in use` : 'The listening port is already in use',
        explanation: `The program tried to listen on ${port ? `port ${port}` : 'its port'} and the operating system refused because another process in the same network namespace already listens there.`,
        confidence: 0.9,
      }),
    );
  },
};
