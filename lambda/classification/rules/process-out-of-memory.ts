import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findAll } from '../evidence-text';
import { hitFinding, ownFirst, resultOf } from '../finding';
import { isLowSeverity, physicalLogLines } from '../log-patterns';

// Runtime messages a process prints when it runs out of memory, in the container's own log: V8's
// `FATAL ERROR: … JavaScript heap out of memory`, `java.lang.OutOfMemoryError`, Python's `MemoryError`,
// Go's `fatal error: runtime: out of memory`, .NET's `System.OutOfMemoryException`, C++ `std::bad_alloc`,
// Ruby's `NoMemoryError` / `failed to allocate memory`, PHP's `Allowed memory size of N bytes exhausted`
// (its `memory_limit`), V8's `Reached heap limit`, every JVM `OutOfMemoryError` variant (`Java heap space`,
// `GC overhead limit exceeded`, `Metaspace`, `Direct buffer memory`, `unable to create native thread`)
// with or without the package, Go's `runtime: out of memory: cannot allocate`, the kernel's
// `Out of memory: Killed process`.
const OUT_OF_MEMORY =
  /JavaScript heap out of memory|\bReached heap limit\b|\bOutOfMemoryError\b|(?:^|\s)MemoryError(?::|\s*$)|_ArrayMemoryError|\bruntime: out of memory\b|System\.OutOfMemoryException|\bOutOfMemoryException\b|std::bad_alloc|\bNoMemoryError\b|\bfailed to allocate memory \(NoMemoryError\)|\bAllowed memory size of \d{1,20} bytes exhausted\b|\bOut of memory \(allocated \d{1,20}\)|Out of memory: Kill(?:ed)? process|\[Errno 12\] Cannot allocate memory/;

/** A process in the container ran out of memory (its runtime or the kernel said so in its log). */
export const processOutOfMemory: Rule = {
  id: 'process-out-of-memory',
  logPatterns: [OUT_OF_MEMORY],
  category: 'oom_killed',
  title: 'Process ran out of memory (runtime out-of-memory error in the log)',
  remediation: [
    'If the runtime\'s own heap limit was hit (Node `--max-old-space-size`, JVM `-Xmx`/`MaxRAMPercentage`/`MaxMetaspaceSize`, PHP `memory_limit`), raise it in step with the container memory, leaving headroom for non-heap memory.',
    'Otherwise raise the task/container memory or reduce what the program holds in memory at once (batch sizes, caches, concurrency); profile for leaks if usage grows over time.',
  ],
  sources: [
    'https://nodejs.org/api/cli.html#--max-old-space-sizesize-in-mib',
    'https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/OutOfMemoryError.html',
    'https://docs.python.org/3/library/exceptions.html#MemoryError',
    'https://www.php.net/manual/en/ini.core.php#ini.memory-limit',
    'https://docs.oracle.com/en/java/javase/21/troubleshoot/troubleshooting-memory-leaks.html#GUID-19F6D28E-75A1-4480-9879-D0932B2F305B',
    'https://pkg.go.dev/runtime/debug#SetMemoryLimit',
    'https://learn.microsoft.com/en-us/dotnet/api/system.outofmemoryexception',
    'https://docs.ruby-lang.org/en/master/NoMemoryError.html',
    'https://v8.dev/blog/heap-size-limit',
  ],
  match(evidence) {
    const lines = physicalLogLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = ownFirst(findAll(lines, OUT_OF_MEMORY).filter((hit) => !isLowSeverity(hit.item.text)));
    if (!hit) return NO_MATCH;
    const heap = /JavaScript heap|Reached heap limit|OutOfMemoryError: (?:Java heap space|GC overhead|Metaspace)|Allowed memory size of/i.test(hit.item.text);
    return resultOf(
      hitFinding(hit, {
        title: 'A process in the container ran out of memory',
        explanation: heap
          ? 'The program\'s runtime reached its heap limit and aborted. The runtime\'s heap limit can be lower than the container\'s memory, so raise both together.'
          : 'The program (or the kernel on its behalf) reported that memory could not be allocated, and the process ended.',
        confidence: { task: 0.9, context: 0.6 },
      }),
    );
  },
};
