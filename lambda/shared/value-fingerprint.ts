import { createHmac, randomBytes } from 'node:crypto';

/**
 * Keyed hashes of values the analyzer must compare but never show: environment variable values and
 * secret references (`valueFrom`) of task definitions.
 *
 * - In memory (`fingerprintValue`): HMAC-SHA-256 under a random key drawn once per process and never
 *   exported, so two revisions' values can be compared ("changed or not") without the value, or
 *   anything that reveals it, entering the evidence model.
 * - In a bundle (`captureHasher`): each capture draws its own random key, replaces every value by
 *   `hmac-sha256:<hex>` and drops the key, so equal values stay equal within that bundle (the diff
 *   survives replay) and no value can be recovered from it.
 *
 * https://nodejs.org/api/crypto.html#cryptocreatehmacalgorithm-key-options
 */

/** Prefix of a value replaced in a captured bundle. */
export const CAPTURED_VALUE_PREFIX = 'hmac-sha256:';

const PROCESS_KEY = randomBytes(32);

/** The in-memory fingerprint of a value: hex HMAC-SHA-256 under this process's random key. */
export function fingerprintValue(value: string): string {
  return createHmac('sha256', PROCESS_KEY).update(value, 'utf8').digest('hex');
}

/**
 * A hasher for one capture: a fresh random key, held only by the returned closure. Values it returns
 * look like `hmac-sha256:<64 hex>`; a value already in that form is returned as is (a bundle
 * re-redacted keeps its equalities).
 */
export function captureHasher(): (value: string) => string {
  const key = randomBytes(32);
  return (value) =>
    value.startsWith(CAPTURED_VALUE_PREFIX) ? value : `${CAPTURED_VALUE_PREFIX}${createHmac('sha256', key).update(value, 'utf8').digest('hex')}`;
}
