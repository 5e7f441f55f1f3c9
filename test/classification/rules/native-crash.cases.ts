import type { RuleCases } from '../rule-tester';

const SEGFAULT = '/entrypoint.sh: line 8:     7 Segmentation fault      (core dumped) python app.py';
// The shell's strsignal(3) words for SIGILL/SIGBUS/SIGFPE, Go's fatal-signal report, Fluent Bit's engine.
const SIGILL = '/usr/local/bin/docker-entrypoint.sh: line 11:     8 Illegal instruction     (core dumped) node dist/main.js';
const SIGBUS = 'Bus error (core dumped)';
const SIGFPE = 'Floating point exception';
const GO_SIGILL = 'SIGILL: illegal instruction';
const FLUENT_BIT = '[2024/02/01 10:00:03] [engine] caught signal (SIGBUS)';

export const cases: RuleCases = {
  match: [
    { log: SEGFAULT, cites: SEGFAULT, rootCause: true },
    { name: 'SIGILL after the job number (a CPU without the instructions the binary uses)', log: SIGILL, exitCode: 132, stopCode: 'EssentialContainerExited', cites: SIGILL, rootCause: true },
    { name: 'SIGBUS alone', log: ['starting', SIGBUS], exitCode: 135, cites: SIGBUS },
    { name: 'SIGFPE alone', log: SIGFPE, exitCode: 136, cites: SIGFPE },
    { name: "Go's fatal-signal report", log: ['fatal error: unexpected signal during runtime execution', GO_SIGILL, 'PC=0x4a1b2c m=0 sigcode=2'], cites: GO_SIGILL },
    { name: "Fluent Bit's engine after an output error", log: ['[2024/02/01 10:00:01] [error] [output:cloudwatch_logs:cloudwatch_logs.0] PutLogEvents failed', FLUENT_BIT], cites: FLUENT_BIT },
    // https://docs.python.org/3/library/faulthandler.html: the title ends with the message after the colon.
    { log: 'Fatal Python error: Segmentation fault', cites: 'Fatal Python error: Segmentation fault', title: 'The process crashed: Fatal Python error: Segmentation fault' },
  ],
  noMatch: [
    {
      name: "Go's [signal SIGSEGV] line (go-panic's) and ordinary lines",
      log: ['[signal SIGSEGV: segmentation violation code=0x1 addr=0x48 pc=0xece092]', 'Last session crashed'],
    },
    { name: 'the words inside a sentence', log: ['WARN rejected request: Illegal instruction set requested by client', 'caught signal (SIGTERM), shutting down'] },
  ],
  notApplicable: [{ name: 'no logs' }],
};
