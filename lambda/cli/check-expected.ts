import * as z from 'zod/mini';
import { CategorySchema, type RcaReport } from '../report/report-schema';
import { BadInputError } from '../shared/errors';

/**
 * The `expected` block of an incident bundle (`../shared/spec/incident-bundle.md`): what a correct
 * analysis of the bundle must conclude. Read only by evaluation (`ecs-rca eval`, the corpus tests).
 */
export interface ExpectedBlock {
  /** Acceptable root-cause taxonomy ids, best first. */
  categories: readonly string[];
  /** A substring that some evidence text of the root cause must contain (not checked when absent). */
  primaryEvidence?: string;
  /** Substrings that no evidence text of the root cause may contain (look-alike causes). */
  redHerrings?: readonly string[];
  /** Whether the report must alert (not checked when absent). */
  alert?: boolean;
}

/** The outcome of checking one report against its expected block. */
export interface ExpectedCheck {
  pass: boolean;
  /** One short sentence per unmet expectation; empty when `pass`. */
  failures: string[];
}

/**
 * zod schema of the expected block: `categories` must be a non-empty list of taxonomy ids (a typo
 * would otherwise make a case fail for the wrong reason); the other keys are optional, as in the
 * bundle reader; unknown keys are ignored. `zod/mini` like the report schema it reuses, whose module
 * also sets the English issue messages quoted in `parseExpected`'s errors.
 */
export const ExpectedBlockSchema = z.looseObject({
  categories: z.array(CategorySchema).check(z.minLength(1)),
  primaryEvidence: z.optional(z.string().check(z.minLength(1))),
  redHerrings: z.optional(z.array(z.string().check(z.minLength(1)))),
  alert: z.optional(z.boolean()),
});

/**
 * Validates an `expected` block.
 *
 * @param where the file or case it comes from, named in the error message.
 * @throws BadInputError naming `where` and the first problem when the block is malformed.
 */
export function parseExpected(value: unknown, where: string): ExpectedBlock {
  const parsed = ExpectedBlockSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw new BadInputError(`${where}: invalid expected block${path ? ` at expected.${path}` : ''}: ${issue?.message ?? 'not an object'}`, {
    cause: parsed.error,
  });
}

const quote = (text: string): string => JSON.stringify(text);

/**
 * Checks a report against an expected block, exactly as the bundle spec defines it:
 * the root cause's category is one of `categories`; some root-cause evidence text contains
 * `primaryEvidence`; no root-cause evidence text contains any of `redHerrings`; `report.alert`
 * equals `alert`. A key absent from the block is not checked. Substrings are matched literally and case-sensitively (evidence is literal text).
 * Pure.
 */
export function checkExpected(report: RcaReport, expected: ExpectedBlock): ExpectedCheck {
  const failures: string[] = [];
  const { rootCause } = report;
  const texts = rootCause.evidence.map((item) => item.text);

  if (!expected.categories.includes(rootCause.category)) {
    failures.push(`root cause is ${rootCause.category}, expected ${expected.categories.join(' or ')}`);
  }
  const primary = expected.primaryEvidence;
  if (primary !== undefined && !texts.some((text) => text.includes(primary))) {
    failures.push(`no root-cause evidence contains ${quote(primary)}`);
  }
  for (const herring of expected.redHerrings ?? []) {
    if (texts.some((text) => text.includes(herring))) failures.push(`root-cause evidence contains red herring ${quote(herring)}`);
  }
  if (expected.alert !== undefined && report.alert !== expected.alert) {
    failures.push(`alert is ${report.alert}, expected ${expected.alert}`);
  }
  return { pass: failures.length === 0, failures };
}
