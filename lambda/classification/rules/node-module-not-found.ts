import type { Evidence } from '../../evidence/types';
import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, NOT_APPLICABLE, type Rule, type RuleFinding } from '../types';
import { citeMatch } from '../evidence-text';
import { findInStreams, logStreams, type StreamMatch } from '../log-patterns';
import { nameToken } from '../own-words';

// CommonJS: `Error: Cannot find module './x'` / `Cannot find module 'express'`; ES modules:
// `Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'x' imported from /app/index.js` and
// `Cannot find module '/app/src/x' imported from /app/src/index.js`.
const NOT_FOUND = /\bCannot find (module|package) \\?['"]([^'"\\\s]{1,500})\\?['"](?: imported from (\S{1,500}))?/;
const ESM_CODE = /ERR_MODULE_NOT_FOUND/;
// CommonJS prints the requiring files after the error: `Require stack:` then `- /app/worker.js`.
const REQUIRE_STACK_ENTRY = /^\s*- (\/\S{1,500})/;

/** The file that required the module: ESM's `imported from`, or the first `Require stack` entry. */
function requiredFrom(hit: StreamMatch): string | undefined {
  if (hit.groups[2]) return hit.groups[2];
  for (let i = hit.at + 1; i <= hit.at + 3 && i < hit.lines.length; i += 1) {
    const entry = REQUIRE_STACK_ENTRY.exec(hit.lines[i]?.text ?? '');
    if (entry) return entry[1];
  }
  return undefined;
}

// A "module" whose last path segment is a shell environment assignment (`/usr/src/app/NODE_ENV=dev`): the
// command line `NODE_ENV=dev node app.js` was split into array elements, and without a shell Node.js takes
// the assignment for its script (ECS runs `command` without a shell).
const ENV_ASSIGNMENT = /(?:^|\/)([A-Za-z_][A-Za-z0-9_]{0,100})=([^/]{0,300})$/;

/** The finding for a command that passes an environment assignment where Node.js expects its script. */
function assignmentFinding(evidence: Evidence, hit: StreamMatch, name: string, value: string): RuleFinding {
  const assignment = `${name}=${value}`;
  // The title and steps name the assignment only when its value is one name-shaped token.
  const shown = nameToken(value) !== undefined || value === '' ? assignment : `${name}=…`;
  const def = evidence.taskDefinition?.containers.find((c) => (hit.item.containerName === undefined || c.name === hit.item.containerName) && [...(c.entryPoint ?? []), ...(c.command ?? [])].some((w) => w.includes(assignment)));
  const word = def ? [...(def.entryPoint ?? []), ...(def.command ?? [])].find((w) => w.includes(assignment)) : undefined;
  const fromDefinition: EvidenceItem[] = def && word ? [{ source: 'taskDefinition', text: word, containerName: def.name }] : [];
  return {
    category: 'container_command_invalid',
    title: `The command passes the environment assignment ${shown} as a file to Node.js`,
    explanation: `Node.js tried to load \`${shown}\` as a module: the command line holds a shell-style assignment (\`${shown} node …\`), but ECS runs \`command\`/\`entryPoint\` without a shell, so the assignment reached Node.js as an argument. The command is malformed; the code is not at fault.`,
    confidence: 0.95,
    evidence: [citeMatch(hit), ...fromDefinition],
    remediation: [
      `Remove \`${shown}\` from \`command\`/\`entryPoint\` and set it in the container's \`environment\` (name \`${name}\`${shown === assignment ? `, value \`${value}\`` : ''}), or run the line through a shell: \`["sh", "-c", "${shown} node …"]\`.`,
    ],
    scope: hit.item.scope,
    taskArn: hit.item.taskArn,
  };
}

/** Remediation for the kind of specifier that was not found. */
function nodeSteps(specifier: string, esm: boolean, from: string | undefined): string[] {
  if (specifier.startsWith('./') || specifier.startsWith('../')) {
    const folder = from ? from.slice(0, from.lastIndexOf('/') + 1) : undefined;
    const steps = [
      ...(folder ? [`Node.js resolves \`${specifier}\` relative to ${from}, i.e. in \`${folder}\`: that file (with a .js, .json or index.js) is not in the image.`] : []),
      `\`${specifier}\` is a file of your own code, and it is not in the image next to the file that requires it: check the Dockerfile COPY lines and .dockerignore, that the build step that produces it ran (e.g. \`npm run build\` output copied into the final stage), and the exact file-name case (Linux file systems are case-sensitive; macOS is not).`,
    ];
    if (esm && !/\.[cm]?js$|\.json$/.test(specifier)) {
      steps.push('ES modules do not add file extensions: import the file with its extension (e.g. `./branch-cleanup.js`) or compile with a bundler that rewrites the paths.');
    }
    return steps;
  }
  if (specifier.startsWith('/')) {
    return [`\`${specifier}\` is an absolute path that does not exist in the image: check the command/entrypoint path and the build output directory (e.g. \`dist/\` not built or not copied into the final stage).`];
  }
  if (/^[@~]\//.test(specifier)) {
    return [`\`${specifier}\` looks like a TypeScript path alias: \`paths\` in tsconfig.json are not resolved by Node at run time. Rewrite them at build time (tsc-alias, a bundler) or register them (module-alias, tsconfig-paths).`];
  }
  return [
    `\`${specifier}\` is a package: add it to \`dependencies\` in package.json (not \`devDependencies\` — \`npm ci --omit=dev\`/\`npm prune --production\` removes those from the image) and rebuild with the lock file.`,
    'In multi-stage builds, make sure the final stage has the `node_modules` folder installed for production, not only the build stage.',
  ];
}

/** Node.js could not resolve a module (`Cannot find module 'x'`, `ERR_MODULE_NOT_FOUND`). */
export const nodeModuleNotFound: Rule = {
  id: 'node-module-not-found',
  logPatterns: [NOT_FOUND],
  category: 'app_import_error',
  title: "Node.js cannot find a module (Cannot find module 'x')",
  remediation: [
    'List what the image really holds: `docker run --rm --entrypoint ls IMAGE -R /app` (use your WORKDIR).',
  ],
  sources: [
    'https://nodejs.org/api/errors.html#err_module_not_found',
    'https://nodejs.org/api/modules.html#all-together',
    'https://docs.npmjs.com/cli/commands/npm-ci',
    'https://nodejs.org/api/cli.html#synopsis',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_environment',
  ],
  match(evidence) {
    const streams = logStreams(evidence);
    if (streams.length === 0) return NOT_APPLICABLE;
    const bySpecifier = new Map<string, StreamMatch>();
    for (const hit of findInStreams(streams, NOT_FOUND)) {
      const specifier = hit.groups[1];
      if (specifier && !bySpecifier.has(specifier)) bySpecifier.set(specifier, hit);
    }
    if (bySpecifier.size === 0) return NO_MATCH;
    const findings: RuleFinding[] = [...bySpecifier].slice(0, 3).map(([specifier, hit]) => {
      const assignment = ENV_ASSIGNMENT.exec(specifier);
      if (assignment) return assignmentFinding(evidence, hit, assignment[1] ?? '', assignment[2] ?? '');
      const esm = ESM_CODE.test(hit.item.text) || hit.groups[2] !== undefined;
      const from = nameToken(requiredFrom(hit));
      const named = nameToken(specifier);
      if (!named) {
        // Not one name-shaped token: the cited line says what was required; the title says it in our words.
        return {
          title: `Node.js cannot find a ${hit.groups[0] === 'package' ? 'package' : 'module'}`,
          explanation: 'The program required a module (named in the cited line) and Node.js could not resolve it in the image, so the program could not load.',
          confidence: 0.9,
          evidence: [citeMatch(hit)],
          scope: hit.item.scope,
          taskArn: hit.item.taskArn,
        };
      }
      return {
        title: `Node.js cannot find ${hit.groups[0] === 'package' ? 'package' : 'module'} '${specifier}'`,
        explanation: `The program required \`${specifier}\`${from ? ` from ${from}` : ''} and Node.js could not resolve it in the image, so the program could not load. The image was built and started: what is missing is a file or package that the build did not put into it.`,
        confidence: 0.9,
        evidence: [citeMatch(hit)],
        remediation: [...nodeSteps(specifier, esm, from), `Reproduce with the same image, from the app's working directory: \`docker run --rm --entrypoint node IMAGE -e "require.resolve('${specifier.replace(/'/g, "\\'")}')"\`.`],
        scope: hit.item.scope,
        taskArn: hit.item.taskArn,
      };
    });
    return { status: 'match', findings };
  },
};
