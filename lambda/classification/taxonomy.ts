/**
 * The failure taxonomy (`categories v1`) as data: the public contract of `../shared/spec/taxonomy.md`.
 *
 * Ids are never renamed or reused. `causalOrder` ranks categories from the earliest possible fault in
 * a task's life (placement) to the latest and least specific (health checks, the generic non-zero exit):
 * when several faults are found, the one earliest in this order is the root-cause candidate.
 */
export const CATEGORY_IDS = [
  'placement_failed',
  'network_config_failed',
  'image_pull_rate_limited',
  'image_not_found',
  'registry_auth_failed',
  'image_arch_mismatch',
  'network_egress_blocked',
  'secrets_fetch_failed',
  'log_setup_failed',
  'volume_mount_failed',
  'container_command_invalid',
  'app_import_error',
  'app_config_missing',
  'app_crash',
  'port_bind_failed',
  'permission_denied',
  'app_exit_nonzero',
  'dependency_unreachable',
  'dependency_auth_failed',
  'oom_killed',
  'disk_full',
  'health_check_timeout',
  'health_check_bad_status',
  'health_check_connection_failed',
  'health_check_startup_too_slow',
  'container_health_check_failed',
  'platform_error',
  'benign_stop',
  'unknown',
] as const;

/** A taxonomy id, e.g. `app_import_error`. */
export type Category = (typeof CATEGORY_IDS)[number];

/** The phase of a task's life a category belongs to (the taxonomy's first column). */
export type Phase =
  | 'placement'
  | 'image'
  | 'network'
  | 'task_init'
  | 'app'
  | 'dependency'
  | 'resources'
  | 'health'
  | 'platform'
  | 'benign'
  | 'none';

/** Static facts about one category. */
export interface CategoryInfo {
  id: Category;
  phase: Phase;
  /** Whether this category, as a root cause, notifies people by default. */
  alert: boolean;
  /** One-line meaning, from the taxonomy. */
  meaning: string;
}

const info = (id: Category, phase: Phase, meaning: string, alert = true): CategoryInfo => ({
  id,
  phase,
  alert,
  meaning,
});

/** Every category with its phase, alert default and meaning, in taxonomy order. */
export const CATEGORIES: Readonly<Record<Category, CategoryInfo>> = {
  placement_failed: info('placement_failed', 'placement', 'the scheduler could not place the task'),
  network_config_failed: info('network_config_failed', 'placement', "the task's network interface could not be set up"),
  image_pull_rate_limited: info('image_pull_rate_limited', 'image', 'the registry refused the pull for rate reasons'),
  image_not_found: info('image_not_found', 'image', 'the image reference (repository, tag or digest) does not exist'),
  registry_auth_failed: info('registry_auth_failed', 'image', 'the registry refused the credentials or the execution role may not pull'),
  image_arch_mismatch: info('image_arch_mismatch', 'image', 'the image was built for another CPU architecture or OS'),
  network_egress_blocked: info('network_egress_blocked', 'network', 'the task cannot reach a registry or an AWS endpoint it needs'),
  secrets_fetch_failed: info('secrets_fetch_failed', 'task_init', 'a secret or parameter named in the task definition could not be fetched or used'),
  log_setup_failed: info('log_setup_failed', 'task_init', 'the log driver could not start'),
  volume_mount_failed: info('volume_mount_failed', 'task_init', 'a volume could not be mounted, or a mount hides files the image needs'),
  container_command_invalid: info('container_command_invalid', 'task_init', 'the entrypoint/command cannot be executed as written'),
  app_import_error: info('app_import_error', 'app', 'the program cannot load a module, package, class or dependency'),
  app_config_missing: info('app_config_missing', 'app', 'required configuration is absent or invalid'),
  app_crash: info('app_crash', 'app', 'the program raised an uncaught exception, panicked or segfaulted'),
  port_bind_failed: info('port_bind_failed', 'app', 'the program could not listen on its port'),
  permission_denied: info('permission_denied', 'app', 'the program was refused a file or directory'),
  app_exit_nonzero: info('app_exit_nonzero', 'app', 'an essential container exited non-zero and nothing more specific is known'),
  dependency_unreachable: info('dependency_unreachable', 'dependency', 'a database, cache, queue or API the program needs cannot be reached or resolved'),
  dependency_auth_failed: info('dependency_auth_failed', 'dependency', "a dependency rejected the program's credentials"),
  oom_killed: info('oom_killed', 'resources', 'the container or a process in it ran out of memory'),
  disk_full: info('disk_full', 'resources', 'a disk the task or host needs is full'),
  health_check_timeout: info('health_check_timeout', 'health', 'load-balancer health checks time out'),
  health_check_bad_status: info('health_check_bad_status', 'health', 'health checks get an unexpected HTTP status'),
  health_check_connection_failed: info('health_check_connection_failed', 'health', 'health checks cannot connect'),
  health_check_startup_too_slow: info('health_check_startup_too_slow', 'health', 'the program becomes ready later than the health-check budget allows'),
  container_health_check_failed: info('container_health_check_failed', 'health', "the container's own healthCheck command failed"),
  platform_error: info('platform_error', 'platform', "an AWS-side or runtime fault not caused by the task's configuration"),
  benign_stop: info('benign_stop', 'benign', 'a stop that needs nobody', false),
  unknown: info('unknown', 'none', 'no rule matched'),
};

/**
 * Root-cause precedence: lower index = earlier in the causal chain = preferred as root cause.
 * Specific application faults come before the generic `app_crash`; health-check categories come
 * after everything a program or its configuration can cause, because they are usually its symptoms;
 * `app_exit_nonzero` is the fallback and comes last.
 */
export const CAUSAL_ORDER: readonly Category[] = [
  'placement_failed',
  'network_config_failed',
  'disk_full',
  'network_egress_blocked',
  'image_pull_rate_limited',
  'image_not_found',
  'registry_auth_failed',
  'image_arch_mismatch',
  'secrets_fetch_failed',
  'log_setup_failed',
  'volume_mount_failed',
  'container_command_invalid',
  'oom_killed',
  'app_import_error',
  'app_config_missing',
  'permission_denied',
  'port_bind_failed',
  'dependency_auth_failed',
  'dependency_unreachable',
  'app_crash',
  'platform_error',
  'health_check_bad_status',
  'health_check_startup_too_slow',
  'health_check_timeout',
  'health_check_connection_failed',
  'container_health_check_failed',
  'app_exit_nonzero',
  'benign_stop',
  'unknown',
];

/** Categories that describe a consequence seen from outside the program (health checks, bare exits). */
export const SYMPTOM_CATEGORIES: ReadonlySet<Category> = new Set<Category>([
  'health_check_timeout',
  'health_check_bad_status',
  'health_check_connection_failed',
  'health_check_startup_too_slow',
  'container_health_check_failed',
  'app_exit_nonzero',
]);

