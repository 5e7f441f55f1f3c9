import type { RuleCases } from '../rule-tester';

const NODE = 'Error: listen EADDRINUSE: address already in use :::3000';
const NGINX = 'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)';
const SPRING = 'Web server failed to start. Port 8080 was already in use.';

export const cases: RuleCases = {
  match: [
    { name: 'Node EADDRINUSE, naming the port', log: NODE, cites: NODE, title: 'Port 3000 is already in use', rootCause: true },
    { log: NGINX, cites: NGINX },
    { log: SPRING, cites: SPRING },
  ],
  noMatch: [{ name: 'a server that started', log: 'Listening on port 3000' }],
  notApplicable: [{ name: 'no logs' }],
};
