import { NO_MATCH, type Rule } from '../types';
import { findAll, logLines, normaliseText, serviceEvents, stopTexts } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';

// runc/Docker messages when the entrypoint or command cannot be executed: `exec: "x": executable file
// not found in $PATH`, `exec: "/app/run.sh": stat /app/run.sh: no such file or directory`,
// `exec /app/run.sh: permission denied` (newer runc, in the container's own log), `exec user process
// caused: no such file or directory` (a script with CRLF line ends or a missing `#!` interpreter).
const NOT_EXECUTABLE = [
  /executable file not found in \$PATH/i,
  /exec: "[^"\n]{1,500}": (?:stat [^\s"]{1,500}: )?(?:no such file or directory|permission denied)/i,
  /\bexec \/[^\s:"]{1,500}: (?:no such file or directory|permission denied)/i,
  /exec user process caused:? "?(?:no such file or directory|permission denied)/i,
  // runc, when the container definition's `user` is not in the image's /etc/passwd.
  /unable to find user [^\s:]{1,100}: no matching entries in passwd file/i,
  // Fargate's wording of the same, while it prepares the container's mounts as that user.
  /mount callback failed on [^\s:]{1,300}: no users found/i,
];
const MATCHER = new RegExp(NOT_EXECUTABLE.map((p) => p.source).join('|'), 'i');

function specificSteps(raw: string): string[] {
  const text = normaliseText(raw);
  const executable = /exec:? "?(\/?[^\s":]{1,300})"?:/i.exec(text)?.[1];
  const name = executable ? `\`${executable}\`` : 'the entrypoint/command';
  if (/executable file not found in \$PATH/i.test(text)) {
    return [`${name} is not on the image's PATH: install it in the image, or give its absolute path in \`entryPoint\`/\`command\`.`];
  }
  const user = /unable to find user ([^\s:]{1,100}): no matching entries in passwd file/i.exec(text)?.[1];
  if (/no users found/i.test(text)) {
    return ['The container definition\'s `user` names a user the image does not define: create it in the Dockerfile, or set `user` to a numeric UID[:GID].'];
  }
  if (user) {
    return [`The container definition runs the program as \`${user}\`, a user the image does not define: create it in the Dockerfile (\`RUN useradd …\`), or set \`user\` to a numeric UID[:GID] or to a user the image has.`];
  }
  if (/exec user process caused/i.test(text)) {
    return ['The script exists but its interpreter cannot start: convert the script to Unix line endings (LF) and check that the `#!` interpreter (e.g. `/bin/bash`) exists in the image (Alpine images have only `/bin/sh`).'];
  }
  if (/permission denied/i.test(text)) {
    return [`${name} is not executable: add \`RUN chmod +x ${executable ?? '<file>'}\` to the Dockerfile (or run it through its interpreter, e.g. \`["sh", "${executable ?? '<file>'}"]\`).`];
  }
  return [`${name} does not exist in the image: check the Dockerfile \`COPY\`/\`WORKDIR\`, \`.dockerignore\`, and the path in \`entryPoint\`/\`command\`.`];
}

/** The container's entrypoint/command cannot be executed as written (missing, not on PATH, not executable). */
export const containerCommandNotExecutable: Rule = {
  id: 'container-command-not-executable',
  logPatterns: [MATCHER],
  category: 'container_command_invalid',
  title: 'Entrypoint or command cannot be executed',
  remediation: [
    'Check `entryPoint` and `command` of the container definition against the image: run `docker run --rm --entrypoint sh <image> -c \'ls -l <path>; command -v <program>\'` to see what exists.',
    'Each array element is one argument: `["node", "server.js"]`, not `["node server.js"]`; use `["sh", "-c", "…"]` when you need a shell.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_environment',
    'https://docs.docker.com/reference/dockerfile/#entrypoint',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cannot-start-container.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security',
  ],
  match(evidence) {
    const aws = findAll([...stopTexts(evidence), ...serviceEvents(evidence)], MATCHER);
    const own = findAll(logLines(evidence), MATCHER);
    const hit = aws.find((h) => h.item.scope === 'task') ?? own.find((h) => h.item.scope === 'task') ?? aws[0] ?? own[0];
    if (!hit) return NO_MATCH;
    return resultOf(
      hitFinding(hit, {
        title: 'The container\'s entrypoint/command could not be executed',
        explanation:
          'The container runtime could not start the program named by the entrypoint/command: the file is missing, not on the PATH, or not executable. The process never ran, so there is no application output to look at.',
        confidence: hit.item.scope !== 'task' ? 0.7 : hit.item.source === 'log' ? 0.9 : 0.95,
        remediation: specificSteps(hit.item.text),
      }),
    );
  },
};
