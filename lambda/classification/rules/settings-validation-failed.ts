import { NOT_APPLICABLE, type Rule, type RuleFinding } from '../types';
import { resultOf } from '../finding';
import { cite, citeMatch } from '../evidence-text';
import { findInStreams, logStreams } from '../log-patterns';

// pydantic / pydantic-settings: `1 validation error for Settings` then, per field, the field name on
// its own line and `Field required [type=missing, …]` (v2) or `field required (type=value_error.missing)` (v1).
const SETTINGS_ERROR = /\b\d+ validation errors? for (\w{0,100}(?:Settings|Config|Configuration|Env|Environment)\w{0,50})\b/;
const FIELD_REQUIRED = /^\s*Field required \[type=missing|^\s*field required \(type=value_error\.missing\)/i;
const FIELD_NAME = /^\s*([\p{L}_][\p{L}\p{N}_.]{0,200})\s*$/u;

/** A typed settings class (pydantic-settings) rejected the environment: a required field is missing. */
export const settingsValidationFailed: Rule = {
  id: 'settings-validation-failed',
  logPatterns: [SETTINGS_ERROR],
  category: 'app_config_missing',
  title: 'Application settings failed validation: a required setting is missing',
  remediation: [
    'pydantic-settings reads each field from an environment variable of the same name (case-insensitive, plus any `env_prefix`): add the missing ones to the container definition\'s `environment` or `secrets`.',
  ],
  sources: ['https://docs.pydantic.dev/latest/concepts/pydantic_settings/', 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html'],
  match(evidence) {
    const streams = logStreams(evidence);
    if (streams.length === 0) return NOT_APPLICABLE;
    const findings: RuleFinding[] = [];
    for (const hit of findInStreams(streams, SETTINGS_ERROR)) {
      const fields: string[] = [];
      const items = [citeMatch(hit)];
      for (let i = hit.at + 1; i < Math.min(hit.lines.length, hit.at + 40); i += 1) {
        const line = hit.lines[i];
        if (!line || !FIELD_REQUIRED.test(line.text)) continue;
        const nameLine = hit.lines[i - 1];
        const field = nameLine ? FIELD_NAME.exec(nameLine.text)?.[1] : undefined;
        if (field && nameLine) {
          fields.push(field);
          if (items.length < 4) items.push(cite(nameLine));
        }
      }
      if (fields.length === 0) continue;
      const cls = hit.groups[0] ?? 'Settings';
      findings.push({
        title: `Required setting${fields.length > 1 ? 's' : ''} ${fields.join(', ')} missing (${cls})`,
        explanation: `The program's settings class \`${cls}\` found no value for ${fields.map((f) => `\`${f}\``).join(', ')}, which it requires, so the program stopped at start-up. These values normally come from environment variables the task definition does not set.`,
        confidence: 0.85,
        evidence: items,
        remediation: [`Set ${fields.map((f) => `\`${f.toUpperCase()}\``).join(', ')} (with your \`env_prefix\`, if any) in the container definition's \`environment\` or \`secrets\`.`],
        scope: hit.item.scope,
        taskArn: hit.item.taskArn,
      });
      break;
    }
    return resultOf(findings);
  },
};
