import { buildIdempotency, runOnce, type Idempotency } from '../../lambda/handler/idempotency';
import { startDynalite, type LocalDynamo } from '../helpers/dynalite';
import { lambdaContext } from './harness';

// Powertools idempotency on dynalite through the real SDK: which deliveries count as the same event.

let dynamo: LocalDynamo;
let idempotency: Idempotency;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});
beforeEach(async () => {
  idempotency = buildIdempotency({ tableName: await dynamo.createTable(), client: dynamo.client, expirySeconds: 3600 });
});

const TASK = 'arn:aws:ecs:us-east-1:111122223333:task/prod/0123456789abcdef0123456789abcdef';
const taskEvent = (id: string, version?: number) => ({ id, 'detail-type': 'ECS Task State Change', detail: { taskArn: TASK, lastStatus: 'STOPPED', ...(version !== undefined ? { version } : {}) } });
const serviceEvent = (id: string) => ({ id, 'detail-type': 'ECS Service Action', detail: { eventName: 'SERVICE_TASK_START_IMPAIRED' } });

/** Runs each event through `runOnce` in order; returns what happened to each. */
async function kinds(events: unknown[]): Promise<string[]> {
  const out: string[] = [];
  let runs = 0;
  for (const event of events) {
    const result = await runOnce(idempotency, event, lambdaContext(), async () => ({ run: (runs += 1) }));
    out.push(result.kind === 'duplicate' ? `duplicate of run ${result.value.run}` : result.kind);
  }
  return out;
}

describe('runOnce', () => {
  it('keys task events by taskArn and detail.version: a repeat under a new id is a duplicate, a new version is not', async () => {
    expect(await kinds([taskEvent('a', 5), taskEvent('a', 5), taskEvent('b', 5), taskEvent('c', 6), taskEvent('d', 0), taskEvent('e', 0)])).toEqual([
      'ran',
      'duplicate of run 1',
      'duplicate of run 1',
      'ran',
      'ran',
      'duplicate of run 3',
    ]);
  });

  it('keys every other event, and task events without a version, by the EventBridge id', async () => {
    expect(await kinds([serviceEvent('s1'), serviceEvent('s1'), serviceEvent('s2'), taskEvent('t1'), taskEvent('t2'), taskEvent('t1')])).toEqual([
      'ran',
      'duplicate of run 1',
      'ran',
      'ran',
      'ran',
      'duplicate of run 3',
    ]);
  });

  it('runs events without any key every time', async () => {
    expect(await kinds([{ detail: {} }, { detail: {} }])).toEqual(['ran', 'ran']);
  });

  it('tells an in-progress duplicate apart from a finished one', async () => {
    let release: () => void = () => undefined;
    const slow = runOnce(idempotency, serviceEvent('x'), lambdaContext(), () => new Promise<string>((resolve) => (release = () => resolve('done'))));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await runOnce(idempotency, serviceEvent('x'), lambdaContext(), async () => 'second')).toEqual({ kind: 'in-progress' });
    release();
    expect(await slow).toEqual({ kind: 'ran', value: 'done' });
    expect(await runOnce(idempotency, serviceEvent('x'), lambdaContext(), async () => 'third')).toEqual({ kind: 'duplicate', value: 'done' });
  });

  it('lets Lambda retry an invocation its timeout ended: the in-progress record expires with the invocation', async () => {
    // An invocation with 300 ms left that never finishes (Lambda would end it at its timeout).
    void runOnce(idempotency, serviceEvent('t'), lambdaContext(300), () => new Promise<string>(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await runOnce(idempotency, serviceEvent('t'), lambdaContext(), async () => 'too early')).toEqual({ kind: 'in-progress' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await runOnce(idempotency, serviceEvent('t'), lambdaContext(), async () => 'retried')).toEqual({ kind: 'ran', value: 'retried' });
  });

  it('lets a failed run be retried', async () => {
    await expect(runOnce(idempotency, serviceEvent('f'), lambdaContext(), async () => Promise.reject(new Error('audit write failed')))).rejects.toThrow('audit write failed');
    expect(await runOnce(idempotency, serviceEvent('f'), lambdaContext(), async () => 'retried')).toEqual({ kind: 'ran', value: 'retried' });
  });

  it('still runs, once, when the table cannot be used', async () => {
    const missing = buildIdempotency({ tableName: 'no-such-table', client: dynamo.client, expirySeconds: 3600 });
    let runs = 0;
    const notes: (readonly string[])[] = [];
    const run = async (n: readonly string[]) => (notes.push(n), (runs += 1));
    const result = await runOnce(missing, serviceEvent('m'), lambdaContext(), run);
    expect(result).toMatchObject({ kind: 'unguarded', value: 1 });
    expect(runs).toBe(1);
    expect(notes).toEqual([[expect.stringMatching(/^Duplicate check unavailable: the idempotency table could not be used \(.*Requested resource not found.*\), so a repeat of this event may be notified again\.$/)]]);
    // The same event again, or a repeat of a task's stop under a new id: this environment remembers it.
    expect(await runOnce(missing, serviceEvent('m'), lambdaContext(), run)).toMatchObject({ kind: 'local-duplicate' });
    expect(await runOnce(missing, taskEvent('t1', 4), lambdaContext(), run)).toMatchObject({ kind: 'unguarded' });
    expect(await runOnce(missing, taskEvent('t2', 4), lambdaContext(), run)).toMatchObject({ kind: 'local-duplicate' });
    expect(runs).toBe(2);
  });
});
