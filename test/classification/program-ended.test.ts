import { classify } from '../../lambda/classification/classify';
import { rank } from '../../lambda/classification/rank';
import { appLogs, targetAlarm, taskStopped, unhealthyTarget } from '../helpers/evidence';

// A request handler's exception (a connection-pool timeout, https://github.com/brettwooldridge/HikariCP#gear-configuration-knobs-baby
// `connectionTimeout`) logged by a server that kept running, while the load balancer's checks time out
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html#target-health-reason-codes).
const HANDLER_ERROR = [
  '2026-01-15 10:00:00.000 ERROR [http-nio-8080-exec-3] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() threw exception',
  'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.',
  '\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)',
];

describe('a crash needs the program to have ended', () => {
  it('keeps the health-check symptom as the headline when the exception came from a running service', () => {
    const evidence = targetAlarm(unhealthyTarget('Target.Timeout', 'Request timed out'), { logs: appLogs(...HANDLER_ERROR) });
    const ranked = rank(evidence, classify(evidence).candidates);
    expect(ranked.rootCause.category).toBe('health_check_timeout');
    const crash = [...ranked.contributing, ...ranked.dismissed].find((f) => f.category === 'app_crash');
    expect(crash?.confidence ?? 0).toBeLessThan(0.5);
  });

  it('still names the crash when the task stopped with its container exited', () => {
    const evidence = taskStopped({ containers: [{ name: 'app', exitCode: 1 }] }, { logs: appLogs(...HANDLER_ERROR) });
    expect(rank(evidence, classify(evidence).candidates).rootCause.category).not.toBe('health_check_timeout');
  });
});
