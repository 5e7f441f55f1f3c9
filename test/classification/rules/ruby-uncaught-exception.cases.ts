import type { RuleCases } from '../rule-tester';

const TOP_LEVEL = "/app/worker.rb:12:in `perform': undefined method `fetch' for nil:NilClass (NoMethodError)";

export const cases: RuleCases = {
  match: [{ log: [TOP_LEVEL, "\tfrom /app/worker.rb:30:in `<main>'"], cites: TOP_LEVEL, title: 'Ruby uncaught NoMethodError', rootCause: true }],
  noMatch: [{ name: 'Rails request logs', log: 'Completed 500 Internal Server Error in 12ms (ActiveRecord: 0.0ms)' }],
  notApplicable: [{ name: 'no logs' }],
};
