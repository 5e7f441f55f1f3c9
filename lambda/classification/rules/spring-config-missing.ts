import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { streamLines } from '../log-patterns';

// Spring: `Could not resolve placeholder 'db.url' in value "${db.url}"`; Spring Boot's failure analyser:
// `Failed to configure a DataSource: 'url' attribute is not specified and no embedded datasource could be configured.`
const PLACEHOLDER = /\bCould not resolve placeholder '([^']{1,200})'/;
const DATASOURCE = /\bFailed to configure a DataSource: 'url' attribute is not specified/;

/** The environment variable Spring Boot's relaxed binding maps a property name to. */
function envName(property: string): string {
  return property.replace(/[.-]/g, '_').replace(/\[(\d+)\]/g, '_$1_').toUpperCase();
}

/** Spring could not resolve a configuration property (placeholder, DataSource URL). */
export const springConfigMissing: Rule = {
  id: 'spring-config-missing',
  logPatterns: [PLACEHOLDER, DATASOURCE],
  category: 'app_config_missing',
  title: 'Spring configuration property is missing (Could not resolve placeholder)',
  remediation: [
    'Check which profile the container runs (`SPRING_PROFILES_ACTIVE`) and that the profile\'s properties file is in the jar.',
    'Provide properties as environment variables in the container definition; Spring Boot maps `spring.datasource.url` to `SPRING_DATASOURCE_URL`.',
  ],
  sources: [
    'https://docs.spring.io/spring-boot/reference/features/external-config.html#features.external-config.typesafe-configuration-properties.relaxed-binding.environment-variables',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findFirst(lines, PLACEHOLDER) ?? findFirst(lines, DATASOURCE);
    if (!hit) return NO_MATCH;
    const property = hit.groups[0] ?? 'spring.datasource.url';
    return resultOf(
      hitFinding(hit, {
        title: `Spring property ${property} is not configured`,
        explanation: `The Spring application needs the property \`${property}\` and no property source (application properties, profile, environment variables) provides it, so the application context failed to start.`,
        confidence: 0.9,
        remediation: [`Set \`${envName(property)}\` (or \`${property}\` in the active profile's properties) in the container definition's \`environment\` or \`secrets\`.`],
      }),
    );
  },
};
