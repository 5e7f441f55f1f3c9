import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { streamLines } from '../log-patterns';

// CPython: `ImportError: cannot import name 'X' from 'pkg.mod' (/path/mod.py)`, optionally followed by
// `(most likely due to a circular import)`; older versions omit the `from` part.
const CANNOT_IMPORT = /\bcannot import name \\?['"]?([\p{L}\p{N}_]{1,200})\\?['"]?(?: from \\?['"]?([\p{L}\p{N}_.]{1,200}))?/u;
const CIRCULAR = /circular import/i;

/** Python found the module but not the name imported from it (`ImportError: cannot import name`). */
export const pythonCannotImportName: Rule = {
  id: 'python-cannot-import-name',
  logPatterns: [CANNOT_IMPORT],
  category: 'app_import_error',
  title: "Python cannot import a name from a module (ImportError: cannot import name 'x')",
  remediation: [
    'Pin the versions of your dependencies (a lock file or `pip freeze` output) so the image installs the versions the code was written against, and rebuild.',
    'Add an import check of the entry module to the image build (`RUN python -c "import app"`) so this fails the build instead of the task.',
  ],
  sources: ['https://docs.python.org/3/library/exceptions.html#ImportError'],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findFirst(lines, CANNOT_IMPORT);
    if (!hit) return NO_MATCH;
    const [name = '?', from] = hit.groups;
    const circular = CIRCULAR.test(hit.item.text);
    const steps = circular
      ? [`Python reports a circular import: \`${from ?? 'the module'}\` is imported again while it is still being initialised. Move the import of \`${name}\` into the function that uses it, or move the shared code into a third module.`]
      : [
          `\`${from ?? 'The module'}\` exists in the image but does not define \`${name}\`: either the installed version of that package is not the one the code expects (renamed or removed in a newer release — pin the version), or, if it is your own module, the image holds an older copy of it (rebuild without a stale layer or copied \`__pycache__\`).`,
        ];
    return resultOf(
      hitFinding(hit, {
        title: `Python cannot import '${name}'${from ? ` from '${from}'` : ''}`,
        explanation: `The import of \`${name}\`${from ? ` from \`${from}\`` : ''} failed: the module was found but does not provide that name${circular ? ', because of a circular import' : ''}. The code that needed it did not load.`,
        confidence: 0.9,
        remediation: steps,
      }),
    );
  },
};
