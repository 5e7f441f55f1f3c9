import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { citeMatch, findAll } from '../evidence-text';
import { streamLines } from '../log-patterns';

// The JVM's texts: `java.lang.ClassNotFoundException: com.x.Y`, `java.lang.NoClassDefFoundError: com/x/Y`,
// the launcher's `Error: Could not find or load main class com.x.Main`, and `Error: Unable to access
// jarfile /app/app.jar`. `NoClassDefFoundError: Could not initialize class X` is a failed static
// initialiser, not a missing class, so it is left to the crash rules.
const MISSING_CLASS =
  /\b(ClassNotFoundException|NoClassDefFoundError): (?!Could not initialize class)([\p{L}\p{N}_$./-]{1,300})|\bCould not find or load main class ([\p{L}\p{N}_$./-]{1,300})|\bUnable to access jarfile (\S{1,500})/u;

/** The JVM could not find a class or the application jar. */
export const javaClassNotFound: Rule = {
  id: 'java-class-not-found',
  logPatterns: [MISSING_CLASS],
  category: 'app_import_error',
  title: 'The JVM cannot find a class or jar (ClassNotFoundException, NoClassDefFoundError)',
  remediation: [
    'Build an executable jar that contains its dependencies (Spring Boot `repackage`, Maven Shade, Gradle `shadowJar`) or copy every dependency jar into the image and put it on `-cp`.',
    'Check dependency scopes: a library marked `provided`, `test` or `compileOnly` is not on the run-time classpath.',
    'Check the main class name (package and case) in the manifest or the `java` command of the task definition.',
  ],
  sources: [
    'https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/ClassNotFoundException.html',
    'https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/NoClassDefFoundError.html',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hits = findAll(lines, MISSING_CLASS);
    const hit = hits[0];
    if (!hit) return NO_MATCH;
    const [kind, cls, mainClass, jar] = hit.groups;
    const what = jar ? `jar ${jar}` : `class ${(mainClass ?? cls ?? '?').replace(/\//g, '.')}`;
    const steps = jar
      ? [`\`${jar}\` is not in the image at that path: check the Dockerfile COPY of the build output (file name with version suffix, target/ or build/libs/) and the command in the task definition.`]
      : mainClass
        ? [`The main class \`${mainClass}\` is not on the classpath: check the jar was copied into the image and that the class name in the command or manifest matches the package.`]
        : [`\`${(cls ?? '').replace(/\//g, '.')}\` (${kind}) is not on the run-time classpath: the jar that contains it is missing from the image or has a different version than the one compiled against.`];
    return {
      status: 'match',
      findings: [
        {
          title: `The JVM cannot load ${what}`,
          explanation: `The Java program could not load ${what}, so it could not start or run that code path. The class or jar was available when the code was compiled but is not in the container image's run-time classpath.`,
          confidence: 0.9,
          evidence: hits.slice(0, 2).map(citeMatch),
          remediation: steps,
          scope: hit.item.scope,
          taskArn: hit.item.taskArn,
        },
      ],
    };
  },
};
