import type { Candidate } from '../../lambda/classification/classify';
import { rank } from '../../lambda/classification/rank';
import type { Category } from '../../lambda/classification/taxonomy';
import { appLogs, taskStopped } from '../helpers/evidence';

const OTHER_TASK = 'arn:aws:ecs:us-east-1:111122223333:task/demo/ffffffffffffffffffffffffffffffff';

function candidate(category: Category, text: string, extra: Partial<Candidate> = {}): Candidate {
  return {
    category,
    ruleId: `rule-${category}`,
    title: `title ${category}`,
    explanation: 'x',
    confidence: 0.9,
    evidence: [{ source: 'log', text }],
    remediation: ['fix it'],
    scope: 'task',
    taskArns: [],
    ...extra,
  };
}

describe('rank', () => {
  it('puts the earliest cause first, a separate defect as contributing and health failures as symptoms', () => {
    const evidence = taskStopped({ startedAt: 1, pullStoppedAt: 1 });
    const ranked = rank(evidence, [
      candidate('health_check_timeout', 'Request timed out', { scope: 'context', confidence: 0.7, evidence: [{ source: 'targetHealth', text: 'Request timed out' }] }),
      candidate('app_crash', "CaseService.__init__() missing 2 required positional arguments: 'db' and 'audit_service'"),
      candidate('app_import_error', "No module named 'core.aws_service'"),
    ]);
    expect(ranked.rootCause.category).toBe('app_import_error');
    expect(ranked.contributing.map((f) => f.category)).toEqual(['app_crash']);
    expect(ranked.symptoms.map((f) => f.category)).toEqual(['health_check_timeout']);
  });

  it('dismisses an image-pull failure of another task when the analysed task pulled its image and started', () => {
    const evidence = taskStopped({ pullStoppedAt: Date.parse('2026-01-15T10:00:00Z'), startedAt: Date.parse('2026-01-15T10:00:05Z') });
    const ranked = rank(evidence, [
      candidate('image_pull_rate_limited', 'toomanyrequests: You have reached your pull rate limit', { scope: 'context', taskArns: [OTHER_TASK] }),
      candidate('app_import_error', "No module named 'core.aws_service'"),
    ]);
    expect(ranked.rootCause.category).toBe('app_import_error');
    expect(ranked.dismissed.map((f) => f.category)).toEqual(['image_pull_rate_limited']);
    expect(ranked.dismissed[0]?.reason).toMatch(/finished pulling its image at 2026-01-15T10:00:00.000Z/);
  });

  it('keeps an image-pull failure of the analysed task as the root cause', () => {
    const ranked = rank(taskStopped(), [candidate('image_pull_rate_limited', 'toomanyrequests', { evidence: [{ source: 'stoppedReason', text: 'toomanyrequests' }] })]);
    expect(ranked.rootCause.category).toBe('image_pull_rate_limited');
    expect(ranked.dismissed).toEqual([]);
  });

  it('makes a health-check failure the root cause when nothing explains it', () => {
    const ranked = rank(taskStopped(), [
      candidate('health_check_bad_status', 'Health checks failed with these codes: [404]', { scope: 'context' }),
      candidate('app_exit_nonzero', 'Essential container in task exited', { confidence: 0.3 }),
    ]);
    expect(ranked.rootCause.category).toBe('health_check_bad_status');
    expect(ranked.symptoms.map((f) => f.category)).toEqual(['app_exit_nonzero']);
  });

  it('lets a benign stop outrank everything and dismisses the rest with a reason', () => {
    const ranked = rank(taskStopped(), [
      candidate('benign_stop', 'Scaling activity initiated by (deployment ecs-svc/1)', { confidence: 0.95 }),
      candidate('placement_failed', 'Capacity is unavailable at this time', { scope: 'context' }),
    ]);
    expect(ranked.rootCause.category).toBe('benign_stop');
    expect(ranked.dismissed.map((f) => f.category)).toEqual(['placement_failed']);
    expect(ranked.dismissed[0]?.reason).toMatch(/stopped on purpose/);
  });

  it('prefers a confident finding over a hint earlier in the causal order', () => {
    const ranked = rank(taskStopped(), [
      candidate('platform_error', 'maybe', { confidence: 0.3 }),
      candidate('app_crash', 'panic: boom', { confidence: 0.9 }),
    ]);
    expect(ranked.rootCause.category).toBe('app_crash');
    expect(ranked.dismissed.map((f) => f.category)).toEqual(['platform_error']);
  });

  it('drops a finding that only re-cites the root cause line', () => {
    const line = "Error: EACCES: permission denied, mkdir '/home/node/.cache/n8n'";
    const ranked = rank(taskStopped(), [candidate('app_crash', line), candidate('permission_denied', line)]);
    expect(ranked.rootCause.category).toBe('permission_denied');
    expect([...ranked.contributing, ...ranked.symptoms, ...ranked.dismissed]).toEqual([]);
  });

  it('merges the same cause seen on several tasks and counts them', () => {
    const ranked = rank(taskStopped(), [
      candidate('app_import_error', "Cannot find module './a'", { taskArns: ['t1'] }),
      candidate('app_import_error', "Cannot find module './a'", { taskArns: ['t2'] }),
    ]);
    expect(ranked.rootCause.taskCount).toBe(2);
  });

  it('reports the cause most of a deployment\'s tasks show as the dominant root cause', () => {
    const ranked = rank(taskStopped(), [
      candidate('oom_killed', 'OutOfMemoryError: Container killed due to memory usage', { taskArns: ['t1'] }),
      candidate('app_import_error', "Cannot find module './a'", { taskArns: ['t2'] }),
      candidate('app_import_error', "Cannot find module './a'", { taskArns: ['t3'] }),
    ]);
    expect(ranked.rootCause.category).toBe('app_import_error');
    expect(ranked.rootCause.taskCount).toBe(2);
    expect(ranked.contributing.map((f) => f.category)).toEqual(['oom_killed']);
  });

  it('falls back to unknown with the most error-like lines', () => {
    const evidence = taskStopped({ stoppedReason: 'Something odd' }, { logs: appLogs('starting', 'ERROR could not frobnicate', 'done') });
    const ranked = rank(evidence, []);
    expect(ranked.rootCause.category).toBe('unknown');
    expect(ranked.rootCause.evidence.map((e) => e.text)).toEqual(['ERROR could not frobnicate', 'Something odd']);
  });

  it('scores only the head and tail of a huge log when nothing matched', () => {
    const middle = Array.from({ length: 20_000 }, (_, i) => (i === 10_000 ? 'ERROR in the middle' : `line ${i}`));
    const evidence = taskStopped({ stoppedReason: 'Something odd' }, { logs: appLogs(...middle, 'FATAL at the end') });
    const texts = rank(evidence, []).rootCause.evidence.map((e) => e.text);
    expect(texts).toContain('FATAL at the end');
    expect(texts).not.toContain('ERROR in the middle');
  });
});
