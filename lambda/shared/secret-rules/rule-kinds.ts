import type { ContextualKind, RedactionKind } from '../redaction';

/**
 * gitleaks rules that find what one of our kinds names (by id prefix); any other rule's id is its kind.
 * https://github.com/gitleaks/gitleaks/tree/master/cmd/generate/config/rules
 */
const RULE_KINDS: readonly [RegExp, ContextualKind][] = [
  [/^aws-access-token$/, 'aws-access-key-id'],
  [/^github-/, 'github-token'],
  [/^gitlab-/, 'gitlab-token'],
  [/^slack-webhook-url$/, 'slack-webhook'],
  [/^slack-/, 'slack-token'],
  [/^stripe-/, 'stripe-key'],
  [/^gcp-api-key$/, 'google-api-key'],
  [/^npm-/, 'npm-token'],
  [/^openai-/, 'openai-key'],
  [/^anthropic-/, 'anthropic-key'],
  [/^sendgrid-/, 'sendgrid-key'],
  [/^vault-/, 'vault-token'],
  [/^pypi-/, 'pypi-token'],
  [/^private-key$/, 'private-key'],
  [/^jwt(?:-base64)?$/, 'jwt'],
];

/** The marker kind of a gitleaks rule: ours when one corresponds, else the rule id. */
export function kindOfRule(rule: string): RedactionKind {
  return RULE_KINDS.find(([id]) => id.test(rule))?.[1] ?? rule;
}
