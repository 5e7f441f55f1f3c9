import type { RuleCases } from '../rule-tester';

const SEGFAULT = '/entrypoint.sh: line 8:     7 Segmentation fault      (core dumped) python app.py';

export const cases: RuleCases = {
  match: [
    { log: SEGFAULT, cites: SEGFAULT, rootCause: true },
    // https://docs.python.org/3/library/faulthandler.html: the title ends with the message after the colon.
    { log: 'Fatal Python error: Segmentation fault', cites: 'Fatal Python error: Segmentation fault', title: 'The process crashed: Fatal Python error: Segmentation fault' },
  ],
  noMatch: [
    {
      name: "Go's [signal SIGSEGV] line (go-panic's) and ordinary lines",
      log: ['[signal SIGSEGV: segmentation violation code=0x1 addr=0x48 pc=0xece092]', 'Last session crashed'],
    },
  ],
  notApplicable: [{ name: 'no logs' }],
};
