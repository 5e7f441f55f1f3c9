import type { RuleCases } from '../rule-tester';

// Each runtime's own out-of-memory line, as its documentation shows it (sources in the rule).
const PHP = 'PHP Fatal error:  Allowed memory size of 268435456 bytes exhausted (tried to allocate 4096 bytes) in /app/src/Report.php on line 41';
const NODE_HEAP_LIMIT = 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory';
const JVM_METASPACE = 'Exception in thread "main" java.lang.OutOfMemoryError: Metaspace';
const JVM_THREAD = 'java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached';
const GO = 'fatal error: runtime: out of memory';
const GO_BARE = 'runtime: out of memory: cannot allocate 1073741824-byte block (3825205248 in use)';
const DOTNET = "Unhandled exception. System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.";
const RUBY = 'failed to allocate memory (NoMemoryError)';
const PYTHON = 'MemoryError: Unable to allocate 7.45 GiB for an array with shape (1000000000,) and data type float64';

export const cases: RuleCases = {
  match: [
    { name: 'PHP memory_limit', log: [PHP], exitCode: 255, cites: PHP, category: 'oom_killed', rootCause: true },
    { name: 'V8 heap limit', log: ['<--- Last few GCs --->', NODE_HEAP_LIMIT], exitCode: 134, cites: NODE_HEAP_LIMIT, rootCause: true },
    { name: 'JVM Metaspace', log: [JVM_METASPACE, '\tat java.base/java.lang.ClassLoader.defineClass1(Native Method)'], exitCode: 1, cites: JVM_METASPACE, rootCause: true },
    { name: 'JVM native thread', log: [JVM_THREAD], exitCode: 1, cites: JVM_THREAD },
    { name: 'Go fatal error', log: [GO_BARE, GO, '', 'goroutine 1 [running]:'], exitCode: 2, cites: GO_BARE, rootCause: true },
    { name: '.NET OutOfMemoryException', log: [DOTNET, '   at Program.Main(String[] args)'], exitCode: 134, cites: DOTNET, rootCause: true },
    { name: 'Ruby NoMemoryError', log: [RUBY], exitCode: 1, cites: RUBY, rootCause: true },
    { name: 'NumPy MemoryError', log: ['Traceback (most recent call last):', '  File "/app/main.py", line 3, in <module>', PYTHON], exitCode: 1, cites: PYTHON, rootCause: true },
  ],
  noMatch: [
    { name: 'a JVM flag in an info line', log: 'INFO JVM flags: -XX:+HeapDumpOnOutOfMemoryError -Xmx512m' },
    { name: 'PHP memory_limit set in the configuration dump', log: 'memory_limit => 256M => 256M' },
  ],
  notApplicable: [{ name: 'no logs' }],
};
