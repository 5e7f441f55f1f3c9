import { className, nameToken } from '../own-words';
import { NOT_APPLICABLE, type Rule, type RuleFinding } from '../types';
import { hitFinding, resultOf } from '../finding';
import { citeMatch } from '../evidence-text';
import { findInStreams, logStreams } from '../log-patterns';
import { JAVA_FRAME, JVM_QUALIFIED_EXCEPTION, JVM_THREAD_DEATH, SPRING_FAILED } from '../runtime-patterns';

// The JVM's default handler: `Exception in thread "main" java.lang.IllegalStateException: msg`; Spring
// Boot's `APPLICATION FAILED TO START` banner and `Application run failed`; or a fully qualified
// exception line followed by `\tat` frames (patterns shared in runtime-patterns.ts).

/** A JVM program died of an uncaught exception (`Exception in thread "main"`, Spring Boot start-up failure). */
export const jvmUncaughtException: Rule = {
  id: 'jvm-uncaught-exception',
  logPatterns: [JVM_THREAD_DEATH, SPRING_FAILED, JVM_QUALIFIED_EXCEPTION],
  category: 'app_crash',
  title: 'JVM uncaught exception (Exception in thread "main", APPLICATION FAILED TO START)',
  remediation: [
    'Read the last `Caused by:` of the stack trace: it names the underlying failure; fix it there.',
    'For Spring Boot, the `Description:` and `Action:` lines after APPLICATION FAILED TO START say what to change.',
  ],
  sources: [
    'https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/Thread.UncaughtExceptionHandler.html',
    'https://docs.spring.io/spring-boot/reference/features/spring-application.html#features.spring-application.startup-failure',
  ],
  match(evidence) {
    const streams = logStreams(evidence);
    if (streams.length === 0) return NOT_APPLICABLE;
    const findings: RuleFinding[] = [];
    const push = (title: string, explanation: string, hit: Parameters<typeof citeMatch>[0]): void => {
      if (findings.length < 2 && !findings.some((f) => f.evidence[0]?.text === hit.item.text.trim())) {
        findings.push(hitFinding(hit, { title, explanation, confidence: 0.85 }));
      }
    };
    for (const hit of findInStreams(streams, JVM_THREAD_DEATH)) {
      const thread = nameToken(hit.groups[0]);
      const exception = className(hit.groups[1]);
      const what = exception ?? 'an uncaught exception';
      push(
        `${thread ? `JVM thread "${thread}"` : 'A JVM thread'} died of ${what}`,
        `The JVM thread ${thread ? `\`${thread}\`` : 'named in the cited line'} ended with ${exception ? `an uncaught \`${exception}\`` : 'an uncaught exception'}${thread === 'main' ? ', which stops the program' : ''}.`,
        hit,
      );
    }
    for (const hit of findInStreams(streams, SPRING_FAILED)) {
      push('Spring Boot application failed to start', 'Spring Boot could not start the application context and exited; the lines after this one give the cause.', hit);
    }
    if (findings.length === 0) {
      for (const hit of findInStreams(streams, JVM_QUALIFIED_EXCEPTION)) {
        const next = hit.lines[hit.at + 1];
        if (!next || !JAVA_FRAME.test(next.text)) continue;
        const exception = className(hit.groups[0]);
        push(
          exception ? `JVM exception ${exception}` : 'JVM exception',
          `The Java program raised ${exception ? `\`${exception}\`` : 'an exception'} (with the stack trace after it).`,
          hit,
        );
      }
    }
    return resultOf(findings);
  },
};
