import { commandWordsGlued } from '../../../lambda/classification/rules/command-words-glued';
import { containerDefinition, taskDefinition, taskStopped } from '../../helpers/evidence';

// Corpus 15.
const GLUED =
  'CannotStartContainerError: API error (500): Cannot start container 54b6caa1f3d8476a7b3538827d4d5017596d696b0877925d1d28a9de735b2433: [8] System error: exec: "node index.js -t sockets_transport -i 0": executable file not found in $PATH';

describe('command-words-glued', () => {
  it('matches a quoted program name with spaces and shows the split array', () => {
    const evidence = taskStopped(
      { stopCode: 'TaskFailedToStart', stoppedReason: GLUED, containers: [{ name: 'octopusws', reason: GLUED }] },
      { taskDefinition: taskDefinition([containerDefinition('octopusws', { command: ['node index.js -t sockets_transport -i 0'] })]) },
    );
    const result = commandWordsGlued.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence[0]?.text).toContain('exec: "node index.js -t sockets_transport -i 0": executable file not found in $PATH');
    expect(finding?.evidence[1]).toMatchObject({ source: 'taskDefinition', text: 'node index.js -t sockets_transport -i 0' });
    expect(finding?.remediation?.[0]).toContain('["node","index.js","-t","sockets_transport","-i","0"]');
  });

  it('matches from the task definition when the container failed without a runtime message', () => {
    const evidence = taskStopped(
      { containers: [{ name: 'api', exitCode: 127 }] },
      { taskDefinition: taskDefinition([containerDefinition('api', { entryPoint: ['python app.py'] })]) },
    );
    const result = commandWordsGlued.match(evidence);
    expect(result.status === 'match' && result.findings[0]?.remediation?.[0]).toContain('["python","app.py"]');
  });

  it('does not match a shell command line passed to sh -c, or a missing single-word program', () => {
    const shell = taskStopped(
      { containers: [{ name: 'api', exitCode: 1 }] },
      { taskDefinition: taskDefinition([containerDefinition('api', { entryPoint: ['sh', '-c'], command: ['npm run migrate && npm start'] })]) },
    );
    expect(commandWordsGlued.match(shell).status).toBe('no_match');
    expect(commandWordsGlued.match(taskStopped({ stoppedReason: 'exec: "gunicorn": executable file not found in $PATH' })).status).toBe('no_match');
  });
});
