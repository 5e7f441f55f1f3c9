import { nodeUncaughtException } from '../../../lambda/classification/rules/node-uncaught-exception';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('node-uncaught-exception', () => {
  it('cites an error line followed by V8 stack frames, not the frames or the exit line after them', () => {
    const logs = appLogs(
      'Last session crashed',
      "Error: EACCES: permission denied, mkdir '/home/node/.cache/n8n'",
      '    at mkdir (node:internal/fs/promises:858:10)',
      '    at compileFile (/usr/local/lib/node_modules/n8n/dist/commands/start.js:109:17)',
      'Exiting due to an error.',
      'Error: Exiting due to an error.',
    );
    const result = nodeUncaughtException.match(taskStopped({}, { logs }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]?.evidence).toEqual([expect.objectContaining({ text: "Error: EACCES: permission denied, mkdir '/home/node/.cache/n8n'" })]);
  });

  it('matches an unhandled promise rejection', () => {
    const line =
      '[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "boom".] {';
    const result = nodeUncaughtException.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toBe('Node.js unhandled promise rejection');
  });

  it('does not match "Last session crashed" or an error line without frames', () => {
    const logs = appLogs('Last session crashed', 'Error: Exiting due to an error.');
    expect(nodeUncaughtException.match(taskStopped({}, { logs })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(nodeUncaughtException.match(taskStopped()).status).toBe('not_applicable');
  });
});
