import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { streamLines } from '../log-patterns';

// glibc's loader (`error while loading shared libraries: libX.so.1: cannot open shared object file`),
// dlopen from Python/Node native modules (`libGL.so.1: cannot open shared object file`), and musl
// (Alpine: `Error loading shared library libstdc++.so.6: No such file or directory`).
const MISSING_LIBRARY = /cannot open shared object file|Error loading shared library /;
// The library name, read from a bounded window around the match.
const LIBRARY_NAME = /([\w.+-]{1,200}\.so(?:\.\w{1,20}){0,4})(?:: cannot open shared object file|: No such file)/;

/** A native shared library the program needs is missing from the image. */
export const sharedLibraryMissing: Rule = {
  id: 'shared-library-missing',
  logPatterns: [MISSING_LIBRARY],
  category: 'app_import_error',
  title: 'A shared library (.so) the program loads is missing from the image',
  remediation: [
    'Install the operating-system package that provides the library in the final image stage (Debian/Ubuntu `apt-get install`, Alpine `apk add`, Amazon Linux `dnf install`); slim, Alpine and distroless base images leave out most libraries.',
    'In multi-stage builds, copy the libraries a binary or native module links against into the final stage too, or build it in an image with the same base as the final stage (`ldd BINARY` lists them).',
  ],
  sources: ['https://man7.org/linux/man-pages/man8/ld.so.8.html'],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findFirst(lines, MISSING_LIBRARY);
    if (!hit) return NO_MATCH;
    const window = hit.item.text.slice(Math.max(0, hit.index - 220), hit.index + 260);
    const library = LIBRARY_NAME.exec(window)?.[1] ?? 'a shared library';
    return resultOf(
      hitFinding(hit, {
        title: `Shared library ${library} is missing from the image`,
        explanation: `The dynamic loader could not find \`${library}\`, so the program (or a native module it imports) could not load. The image lacks the system package that provides it.`,
        confidence: 0.9,
        remediation: [`Find the package that provides \`${library}\` for your base image (e.g. \`apt-file search ${library}\` on Debian) and install it in the Dockerfile's final stage.`],
      }),
    );
  },
};
