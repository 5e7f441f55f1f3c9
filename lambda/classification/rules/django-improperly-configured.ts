import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { streamLines } from '../log-patterns';

// Django raises `django.core.exceptions.ImproperlyConfigured` for missing or invalid settings, e.g.
// `The SECRET_KEY setting must not be empty.`; django-environ: `Set the DATABASE_URL environment variable`.
const IMPROPERLY_CONFIGURED = /\bImproperlyConfigured\b|\bThe \w{1,100} setting must not be empty\b/;
const EMPTY_SETTING = /\bThe (\w{1,100}) setting must not be empty\b/;
const SET_ENV = /\bSet the (\w{1,100}) environment variable\b/;

/** Django refused to start: a setting is missing or invalid (`ImproperlyConfigured`). */
export const djangoImproperlyConfigured: Rule = {
  id: 'django-improperly-configured',
  logPatterns: [IMPROPERLY_CONFIGURED, EMPTY_SETTING, SET_ENV],
  category: 'app_config_missing',
  title: 'Django settings are missing or invalid (ImproperlyConfigured)',
  remediation: [
    'Check which settings module the container uses (`DJANGO_SETTINGS_MODULE`) and which environment variables that module reads.',
    'Provide the missing values through the container definition: `environment` for plain values, `secrets` (Secrets Manager / SSM) for SECRET_KEY, database passwords and API keys.',
  ],
  sources: [
    'https://docs.djangoproject.com/en/stable/ref/exceptions/#improperlyconfigured',
    'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findFirst(lines, EMPTY_SETTING) ?? findFirst(lines, SET_ENV) ?? findFirst(lines, IMPROPERLY_CONFIGURED);
    if (!hit) return NO_MATCH;
    const setting = EMPTY_SETTING.exec(hit.item.text)?.[1];
    const variable = SET_ENV.exec(hit.item.text)?.[1];
    const name = setting ?? variable;
    const steps = setting
      ? [`Django's \`${setting}\` is empty: your settings module reads it from an environment variable (often \`DJANGO_${setting}\` or \`${setting}\`) that the task does not set. Add that variable to the container definition — for SECRET_KEY as a \`secrets\` entry from Secrets Manager — and deploy a new revision.`]
      : variable
        ? [`Set \`${variable}\` in the container definition's \`environment\` or \`secrets\` and deploy a new revision.`]
        : [];
    return resultOf(
      hitFinding(hit, {
        title: name ? `Django setting ${name} is not configured` : 'Django settings are improperly configured',
        explanation: `Django stopped while loading its settings${name ? `: \`${name}\` has no value` : ''}. Settings usually come from environment variables, which the task definition does not provide.`,
        confidence: 0.9,
        remediation: steps,
      }),
    );
  },
};
