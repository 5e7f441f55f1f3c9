import { AccessDeniedException, ClientException } from '@aws-sdk/client-ecs';
import { callAws, describeFailure } from '../../../lambda/shared/aws-call';
import { Deadline } from '../../../lambda/shared/deadline';
import { CallTimeoutError, DeadlineExceededError } from '../../../lambda/shared/http-timeout';

describe('Deadline', () => {
  it('is the Lambda remaining time minus the safety margin', () => {
    let now = 1_000_000;
    const deadline = Deadline.fromLambdaContext({ getRemainingTimeInMillis: () => 30_000 }, { safetyMarginMs: 4_000, now: () => now });
    expect(deadline.expiresAt).toBe(1_026_000);
    expect(deadline.remainingMs()).toBe(26_000);
    now += 30_000;
    expect(deadline.remainingMs()).toBe(0);
    expect(deadline.expired).toBe(true);
  });

  it('is already expired when the margin exceeds the remaining time', () => {
    const deadline = Deadline.fromLambdaContext({ getRemainingTimeInMillis: () => 2_000 }, { safetyMarginMs: 5_000 });
    expect(deadline.expired).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceededError);
  });

  it('a per-call signal aborts with CallTimeoutError when its own timeout comes first', async () => {
    const signal = Deadline.after(5_000).signalFor(30);
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    expect(signal.reason).toBeInstanceOf(CallTimeoutError);
  });

  it('a per-call signal aborts with DeadlineExceededError when the deadline comes first', async () => {
    const signal = Deadline.after(30).signalFor(5_000);
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    expect(signal.reason).toBeInstanceOf(DeadlineExceededError);
  });
});

describe('callAws', () => {
  it('abandons a call that never settles and ignores its signal, at the call timeout', async () => {
    const outcome = await callAws('ecs:DescribeServices', Deadline.after(5_000), { timeoutMs: 50, subject: 'service web' }, () => new Promise<never>(() => undefined));
    expect(outcome).toMatchObject({ ok: false, gap: 'ecs:DescribeServices for service web timed out: no result within 50 ms including retries.' });
  });

  it('does not start a call once the deadline has passed', async () => {
    const fn = jest.fn(() => Promise.resolve(1));
    const outcome = await callAws('logs:GetLogEvents', Deadline.after(0), { timeoutMs: 1000 }, fn);
    expect(fn).not.toHaveBeenCalled();
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.gap).toMatch(/^logs:GetLogEvents was not completed: the invocation deadline was reached/);
  });

  it('returns the value of a call that succeeds', async () => {
    await expect(callAws('ecs:ListTasks', Deadline.after(1000), { timeoutMs: 1000 }, () => Promise.resolve(42))).resolves.toEqual({ ok: true, value: 42 });
  });
});

describe('describeFailure', () => {
  it('access denied, with the AWS message', () => {
    const error = new AccessDeniedException({
      message: 'User: arn:aws:sts::111122223333:assumed-role/analyzer/fn is not authorized to perform: ecs:DescribeTasks on resource: *',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
    expect(describeFailure('ecs:DescribeTasks', error)).toBe(
      "ecs:DescribeTasks failed: access denied, the caller's AWS credentials lack this permission (AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/analyzer/fn is not authorized to perform: ecs:DescribeTasks on resource: *).",
    );
  });

  it('ECS ClientException saying "not authorized" counts as access denied', () => {
    const error = new ClientException({ message: 'User is not authorized to perform that action.', $metadata: {} });
    expect(describeFailure('ecs:ListTasks', error)).toMatch(/failed: access denied/);
  });

  it('an HTTP request timeout and other errors', () => {
    expect(describeFailure('ecs:ListTasks', Object.assign(new Error('x'), { name: 'TimeoutError', $metadata: { attempts: 3 } }))).toBe(
      'ecs:ListTasks timed out: the HTTP request got no response in time (3 attempts).',
    );
    expect(describeFailure('ecs:ListTasks', new Error('socket hang up'), 'service web')).toBe('ecs:ListTasks for service web failed (Error: socket hang up).');
    expect(describeFailure('ecs:ListTasks', 'weird')).toBe('ecs:ListTasks failed (Error: weird).');
  });
});
