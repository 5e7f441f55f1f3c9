import { nodeModuleNotFound } from '../../../lambda/classification/rules/node-module-not-found';
import { appLogs, containerDefinition, taskDefinition, taskStopped } from '../../helpers/evidence';

describe('node-module-not-found', () => {
  it('matches a missing relative module and says the file is missing from the image, next to the requiring file', () => {
    const result = nodeModuleNotFound.match(
      taskStopped({}, { logs: appLogs("Error: Cannot find module './branch-cleanup'", 'Require stack:', '- /opt/acp-client/pool-worker.js') }),
    );
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence[0]?.text).toBe("Error: Cannot find module './branch-cleanup'");
    const steps = (finding?.remediation ?? []).join('\n');
    expect(steps).toContain('/opt/acp-client/');
    expect(steps).toContain('.dockerignore');
  });

  it('matches a missing package and points at dependencies vs devDependencies', () => {
    const result = nodeModuleNotFound.match(taskStopped({}, { logs: appLogs("Error: Cannot find module 'express'") }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.remediation?.[0]).toContain('npm ci --omit=dev');
  });

  it('matches ERR_MODULE_NOT_FOUND and mentions ES module file extensions for a relative import', () => {
    const line = "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/app/dist/routes' imported from /app/dist/server.js";
    const esmRelative = "Error [ERR_MODULE_NOT_FOUND]: Cannot find module './routes' imported from /app/dist/server.js";
    const abs = nodeModuleNotFound.match(taskStopped({}, { logs: appLogs(line) }));
    expect(abs.status).toBe('match');
    const rel = nodeModuleNotFound.match(taskStopped({}, { logs: appLogs(esmRelative) }));
    expect(rel.status).toBe('match');
    if (rel.status !== 'match') return;
    expect((rel.findings[0]?.remediation ?? []).join('\n')).toContain('extension');
  });

  it('does not match other errors', () => {
    expect(nodeModuleNotFound.match(taskStopped({}, { logs: appLogs('Error: connect ECONNREFUSED 127.0.0.1:5432') })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(nodeModuleNotFound.match(taskStopped()).status).toBe('not_applicable');
  });

  it('reads a "module" that is an environment assignment glued into the command as a malformed command', () => {
    const line = "Error: Cannot find module '/usr/src/app/NODE_ENV=dev'";
    const evidence = taskStopped({}, { logs: appLogs(line), taskDefinition: taskDefinition([containerDefinition('app', { command: ['node', 'NODE_ENV=dev', 'server.js'] })]) });
    const result = nodeModuleNotFound.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const [finding] = result.findings;
    expect(finding?.category).toBe('container_command_invalid');
    expect(finding?.evidence.map((e) => e.text)).toEqual([line, 'NODE_ENV=dev']);
    expect(finding?.remediation?.[0]).toContain('`environment` (name `NODE_ENV`, value `dev`)');
  });
});
