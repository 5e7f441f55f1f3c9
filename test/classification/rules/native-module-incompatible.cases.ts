import type { RuleCases } from '../rule-tester';

// Each loader's words for a native module that is present but built for another platform or runtime
// (the rule's sources: dlopen(3), Node.js addons and ERR_DLOPEN_FAILED, musl's differences from glibc,
// UnsatisfiedLinkError, .NET native library loading); the bcrypt case is https://github.com/kelektiv/node.bcrypt.js/issues/578.
const EXITED = { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCode: 1 };
const ELF = 'Error: /app/node_modules/bcrypt/lib/binding/bcrypt_lib.node: invalid ELF header';
const ABI = "Error: The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'";
const ABI_2 = 'was compiled against a different Node.js version using';
const DLOPEN = "  code: 'ERR_DLOPEN_FAILED'";
const GLIBC = "Error: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /app/node_modules/@swc/core-linux-x64-gnu/swc.linux-x64-gnu.node)";
const MUSL = 'Error relocating /app/node_modules/sharp/build/Release/sharp.node: __memcpy_chk: symbol not found';
const UNDEFINED_SYMBOL = 'ImportError: /usr/local/lib/python3.11/site-packages/psycopg2/_psycopg.cpython-311-x86_64-linux-gnu.so: undefined symbol: PQconninfo';
const JNI = 'Exception in thread "main" java.lang.UnsatisfiedLinkError: /tmp/librocksdbjni.so: Error loading shared library ld-linux-x86-64.so.2';
const DOTNET = "Unhandled exception. System.DllNotFoundException: Unable to load shared library 'libgdiplus' or one of its dependencies.";
const ELF_CLASS = 'OSError: /app/lib/libfoo.so: wrong ELF class: ELFCLASS32';

export const cases: RuleCases = {
  match: [
    { ...EXITED, name: 'a Node addon built on macOS', log: ['  return process.dlopen(module, path._makeLong(filename));', ELF, '    at Object.Module._extensions..node (module.js:664:18)'], cites: ELF, title: 'Container app cannot load a native module built for another operating system', rootCause: true },
    { ...EXITED, log: [ABI, ABI_2, 'NODE_MODULE_VERSION 108. This version of Node.js requires'], cites: ABI_2 },
    { ...EXITED, log: DLOPEN, cites: DLOPEN.trim() },
    { ...EXITED, log: GLIBC, cites: GLIBC, rootCause: true },
    { ...EXITED, log: MUSL, cites: MUSL },
    { ...EXITED, log: ['Traceback (most recent call last):', '  File "/app/app.py", line 1, in <module>', UNDEFINED_SYMBOL], cites: UNDEFINED_SYMBOL, rootCause: true },
    { ...EXITED, log: JNI, cites: JNI, rootCause: true },
    { ...EXITED, log: DOTNET, cites: DOTNET, rootCause: true },
    { ...EXITED, log: ELF_CLASS, cites: ELF_CLASS },
  ],
  noMatch: [
    // A library missing from the image is shared-library-missing's.
    { ...EXITED, name: 'a missing library', log: 'error while loading shared libraries: libssl.so.1.1: cannot open shared object file: No such file or directory' },
    { ...EXITED, name: 'the words at info level', log: 'INFO probe: invalid ELF header check skipped' },
  ],
  notApplicable: [{ ...EXITED, name: 'no logs' }],
};
