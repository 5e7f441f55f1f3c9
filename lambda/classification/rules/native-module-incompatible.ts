import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findAll } from '../evidence-text';
import { hitFinding, ownFirst, resultOf } from '../finding';
import { isLowSeverity, streamLines } from '../log-patterns';

/**
 * A native module or shared library is in the image but cannot be loaded: built for another OS,
 * CPU architecture, C library or runtime version. (A library missing from the image is
 * `shared-library-missing`.) Each form with the runtime that prints it.
 */
const FORMS: readonly { kind: string; pattern: RegExp; step: string; source: string }[] = [
  {
    kind: 'a native module built for another operating system',
    pattern: /\binvalid ELF header\b|\bnot a valid Win32 application\b|\bmach-o, but wrong architecture\b|\bwrong ELF class: ELFCLASS(?:32|64)\b/,
    step: 'Native modules were built on another OS or architecture and copied into the image (a host `node_modules`, `venv` or `vendor/bundle`): add them to `.dockerignore` and install dependencies inside the Dockerfile (`npm ci`, `pip install`, `bundle install`) for the platform the task runs on.',
    source: 'https://man7.org/linux/man-pages/man3/dlopen.3.html',
  },
  {
    kind: 'a Node.js addon built for another Node.js version',
    pattern: /\bwas compiled against a different Node\.js version\b|\bNODE_MODULE_VERSION \d{1,4}\. This version of Node\.js requires\b|\bModule version mismatch\. Expected \d/,
    step: 'Rebuild native addons with the Node.js version of the final image: run `npm ci` (or `npm rebuild`) in a stage `FROM` the same `node:<version>` image, and do not copy `node_modules` from the host.',
    source: 'https://nodejs.org/api/addons.html',
  },
  {
    kind: 'a Node.js addon that failed to load',
    pattern: /\bERR_DLOPEN_FAILED\b/,
    step: 'Install dependencies inside the image for its platform (`npm ci` in the Dockerfile, `.dockerignore` listing `node_modules`), and check the addon supports the base image (glibc vs musl/Alpine).',
    source: 'https://nodejs.org/api/errors.html#err_dlopen_failed',
  },
  {
    kind: 'a library built against another C library (glibc vs musl)',
    pattern: /\bversion `GLIBC(?:XX)?_[\d.]{1,10}' not found\b|\bError relocating [^\n:]{1,300}: [^\n:]{1,300}: symbol not found\b|\b__(?:memcpy|fprintf|snprintf|vsnprintf|sprintf)_chk: symbol not found\b/,
    step: 'The binary or module was built for a different C library: build it in an image with the same base as the final stage (Debian/Ubuntu glibc, or Alpine musl), use the musl build of the package on Alpine, or switch the final stage to a glibc-based slim image.',
    source: 'https://wiki.musl-libc.org/functional-differences-from-glibc.html',
  },
  {
    kind: 'a native extension whose symbols do not match',
    pattern: /\.so(?:\.[\w.]{1,20})?: undefined symbol: \S/,
    step: 'A compiled extension does not match the interpreter or libraries it runs with: reinstall it in the image (`pip install --no-binary PACKAGE` or a wheel for this Python and platform, `gem pristine`/`bundle install` for Ruby) with matching versions.',
    source: 'https://docs.python.org/3/extending/building.html',
  },
  {
    kind: 'a JNI library the JVM could not load',
    pattern: /\bjava\.lang\.UnsatisfiedLinkError\b|\bUnsatisfiedLinkError: /,
    step: 'The JVM could not load a native library: install the library in the image for its architecture and C library, or use the pure-Java or musl/Alpine build of the dependency (e.g. netty-tcnative, snappy, RocksDB jars bundle per-platform natives).',
    source: 'https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/UnsatisfiedLinkError.html',
  },
  {
    kind: 'a native library .NET could not load',
    pattern: /\bSystem\.DllNotFoundException\b|\bDllNotFoundException: |\bUnable to load shared library '[^'\n]{1,200}' or one of its dependencies\b|\bSystem\.BadImageFormatException\b/,
    step: 'Install the native library the package needs in the final image (`apt-get install` the package, e.g. `libgdiplus`, `libicu`), publish for the container\'s runtime identifier (`-r linux-x64`, `linux-musl-x64` on Alpine, `linux-arm64` on Graviton).',
    source: 'https://learn.microsoft.com/en-us/dotnet/standard/native-interop/native-library-loading',
  },
];

const ANY_FORM = new RegExp(FORMS.map((f) => f.pattern.source).join('|'));

/** A native module or library is in the image but built for another OS, architecture, C library or runtime. */
export const nativeModuleIncompatible: Rule = {
  id: 'native-module-incompatible',
  logPatterns: [ANY_FORM],
  category: 'app_import_error',
  title: 'A native module or library in the image cannot be loaded (built for another platform or runtime version)',
  remediation: [
    'Build native dependencies inside the Dockerfile, for the platform the task runs on (`runtimePlatform` of the task definition: X86_64 or ARM64), and never copy them from the build host (`.dockerignore`).',
    'Keep the build stage and the final stage on the same base (same runtime version and C library: Debian/Ubuntu glibc or Alpine musl).',
  ],
  sources: [
    ...FORMS.map((f) => f.source),
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#runtime-platform',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = ownFirst(findAll(lines, ANY_FORM).filter((h) => !isLowSeverity(h.item.text)));
    if (!hit) return NO_MATCH;
    const form = FORMS.find((f) => f.pattern.test(hit.item.text));
    return resultOf(
      hitFinding(hit, {
        title: `Container ${hit.item.containerName ?? 'of the task'} cannot load ${form?.kind ?? 'a native module'}`,
        explanation: `The program found a native module or library but the loader rejected it: ${form?.kind ?? 'it was built for another platform'}. The file is in the image, so this is not a missing package: it was built on or for another platform, runtime version or C library than the one the task runs.`,
        confidence: 0.9,
        remediation: form ? [form.step] : [],
      }),
    );
  },
};
