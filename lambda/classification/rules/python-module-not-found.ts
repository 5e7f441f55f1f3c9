import { NO_MATCH, NOT_APPLICABLE, type Rule, type RuleFinding } from '../types';
import { citeMatch, findAll, type TextMatch } from '../evidence-text';
import { streamLines } from '../log-patterns';

// CPython's message, with or without the `ModuleNotFoundError:` class (apps often log `str(exc)` only,
// e.g. `{"error": "… failed: No module named 'core.aws_service'"}`); Python 2 printed the name unquoted.
// Identifiers may be non-ASCII (PEP 3131): the name is read in any script, whole.
const NO_MODULE = /\bNo module named \\?['"]?([\p{L}_][\p{L}\p{N}_.]{0,200})/u;

/** Remediation specific to the missing name: a dotted local package, or a top-level distribution. */
function pythonModuleSteps(name: string): string[] {
  const parts = name.split('.').filter(Boolean);
  const top = parts[0] ?? name;
  const check = `python -c "import ${name}"`;
  if (parts.length > 1) {
    const folder = `${parts.slice(0, -1).join('/')}/`;
    return [
      `\`${name}\` is a dotted module name: if \`${top}\` is a package of your own code, the folder \`${folder}\` may lack an \`__init__.py\` file, or \`${folder}${parts[parts.length - 1]}.py\` may be missing from the image (check the Dockerfile COPY lines, .dockerignore, WORKDIR and PYTHONPATH). Add \`__init__.py\` to every package folder on the import path.`,
      `Confirm it while building: add \`RUN ${check}\` to the Dockerfile after the COPY, so the build fails instead of the task.`,
      `Or check a running container with ECS Exec: \`aws ecs execute-command --cluster CLUSTER --task TASK_ID --container CONTAINER --interactive --command "python -c 'import ${name}'"\`.`,
      `If \`${top}\` is a third-party distribution instead, the installed version does not provide \`${name}\`: pin a version that does in requirements.txt/pyproject.toml and rebuild.`,
    ];
  }
  return [
    `Add the distribution that provides \`${name}\` to requirements.txt (or pyproject.toml/Pipfile) and make sure the Dockerfile installs it into the same Python interpreter the container runs (e.g. \`RUN pip install -r requirements.txt\`; in multi-stage builds copy the site-packages or virtualenv into the final stage).`,
    `If \`${name}\` is a folder of your own project rather than a package, it is missing from the image: check the COPY lines and .dockerignore, and that it has an \`__init__.py\`.`,
    `Confirm with \`RUN ${check}\` in the Dockerfile, or locally: \`docker run --rm --entrypoint python IMAGE -c "import ${name}"\`.`,
    `Or check a running container with ECS Exec: \`aws ecs execute-command --cluster CLUSTER --task TASK_ID --container CONTAINER --interactive --command "${check}"\`.`,
  ];
}

/** Python could not import a module: `ModuleNotFoundError: No module named 'x'`, with or without the class. */
export const pythonModuleNotFound: Rule = {
  id: 'python-module-not-found',
  logPatterns: [NO_MODULE],
  category: 'app_import_error',
  title: "Python cannot import a module (No module named 'x')",
  remediation: [
    'Reproduce locally with the same image, not a virtualenv (`docker run --rm -it --entrypoint sh IMAGE`), and import the module named above there.',
    'Add an import check of the application entry module to the image build so a missing module fails the build, not the deployment.',
  ],
  sources: [
    'https://docs.python.org/3/library/exceptions.html#ModuleNotFoundError',
    'https://docs.python.org/3/tutorial/modules.html#packages',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const byName = new Map<string, TextMatch>();
    for (const hit of findAll(lines, NO_MODULE)) {
      const name = hit.groups[0]?.replace(/(?<!\.)\.+$/, '');
      if (name && !byName.has(name)) byName.set(name, hit);
    }
    if (byName.size === 0) return NO_MATCH;
    const findings: RuleFinding[] = [...byName].slice(0, 3).map(([name, hit]) => ({
      title: `Python cannot import module '${name}'`,
      explanation: `The program tried to import \`${name}\` and Python found no such module in the image, so the code that needed it did not load. The image was built and started, so the module is missing from what was built (a file or package folder not copied, a package folder without \`__init__.py\`, or a dependency not installed), not from the registry.`,
      confidence: 0.9,
      evidence: [citeMatch(hit)],
      remediation: pythonModuleSteps(name),
      scope: hit.item.scope,
      taskArn: hit.item.taskArn,
    }));
    return { status: 'match', findings };
  },
};
