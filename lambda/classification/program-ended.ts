import type { Evidence } from '../evidence/types';
import type { Candidate } from './classify';

/** The most a crash finding may claim while nothing shows the program ended (below rank.ts's confident 0.5). */
export const CRASH_WHILE_RUNNING = 0.45;

/** Whether a task of the incident stopped or one of its containers exited. */
export function anyTaskEnded(evidence: Evidence): boolean {
  return evidence.tasks.some((t) => t.stoppedAt !== undefined || t.lastStatus === 'STOPPED' || t.containers.some((c) => c.exitCode !== undefined));
}

/**
 * A crash finding (`app_crash`) read from log lines requires the program to have ended: the incident is
 * a task stop, or a task of the incident stopped or one of its containers exited. When the incident is
 * not a stop (an unhealthy-target alarm, a service action, a deployment) and no task is known to have
 * ended, an exception in the log was logged by a program that may well have kept running (a request
 * handler's error, a pool timeout): it is at most a hint (confidence 0.45), and the symptom the trigger
 * is about stays the headline unless another rule proves a cause. Pure.
 */
export function crashesRequireAnEnd(evidence: Evidence, candidates: Candidate[]): Candidate[] {
  if (evidence.trigger.kind === 'task_stopped' || anyTaskEnded(evidence)) return candidates;
  return candidates.map((c) => {
    if (c.category !== 'app_crash' || c.confidence <= CRASH_WHILE_RUNNING) return c;
    const logs = c.evidence.filter((e) => e.source === 'log');
    if (logs.length === 0) return c;
    return {
      ...c,
      confidence: CRASH_WHILE_RUNNING,
      explanation: `${c.explanation} No task of the incident stopped and no container exited, so nothing shows this line ended the program: it is context for the symptom, not a proven cause.`,
    };
  });
}
