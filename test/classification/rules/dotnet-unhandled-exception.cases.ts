import type { RuleCases } from '../rule-tester';

export const cases: RuleCases = {
  match: [
    {
      log: [
        "Unhandled exception. System.InvalidOperationException: Unable to resolve service for type 'IRepo'",
        '   at Microsoft.Extensions.DependencyInjection.ServiceProvider.GetService(Type serviceType)',
      ],
      cites: "Unhandled exception. System.InvalidOperationException: Unable to resolve service for type 'IRepo'",
      title: '.NET unhandled System.InvalidOperationException',
      scope: 'task',
      rootCause: true,
    },
  ],
  noMatch: [{ name: 'handled exceptions logged at warning level', log: 'warn: Retrying after System.TimeoutException' }],
  notApplicable: [{ name: 'no logs' }],
};
