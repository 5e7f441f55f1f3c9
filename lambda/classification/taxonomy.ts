/**
 * The failure taxonomy (`categories v1`) as data: the one source of the repository's taxonomy.
 * `docs/taxonomy.md` is generated from it (`npm run docs`); every id of the published minimum,
 * `../shared/spec/taxonomy.md`, must exist here (a test checks it), and ids may be added.
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
  'load_balancer_misconfigured',
  'api_throttled',
  'deployment_config_blocked',
  'task_config_invalid',
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
  /** What the category means, one line of markdown (the taxonomy table's "what it means"). */
  meaning: string;
  /** Typical signals: literal texts or fields that show it, markdown (the table's last column). */
  signals: string;
}

const info = (id: Category, phase: Phase, meaning: string, signals: string, alert = true): CategoryInfo => ({
  id,
  phase,
  alert,
  meaning,
  signals,
});

/** Every category with its phase, alert default and meaning, in taxonomy order. */
export const CATEGORIES: Readonly<Record<Category, CategoryInfo>> = {
  placement_failed: info('placement_failed', 'placement', 'the scheduler could not place the task: no capacity, port taken on every host, constraint unsatisfied, account task limit', 'service event `was unable to place a task`, `TaskFailedToStart: RESOURCE:CPU`/`MEMORY`, `RESOURCE:PORTS`, `capacity is unavailable`, `SERVICE_TASK_PLACEMENT_FAILURE`'),
  network_config_failed: info('network_config_failed', 'placement', 'the task\'s network interface could not be set up', 'ENI attach/provision errors, subnet has no free IP addresses, security group or subnet not found'),
  image_pull_rate_limited: info('image_pull_rate_limited', 'image', 'the registry refused the pull for rate reasons', '`toomanyrequests`, `pull rate limit`, `429 Too Many Requests`'),
  image_not_found: info('image_not_found', 'image', 'the image reference (repository, tag or digest) does not exist', '`manifest unknown`, `not found`, `repository does not exist`, `404`'),
  registry_auth_failed: info('registry_auth_failed', 'image', 'the registry refused the credentials or the execution role may not pull', '`no basic auth credentials`, `pull access denied`, `not authorized to perform: ecr:`, `403 Forbidden`'),
  image_arch_mismatch: info('image_arch_mismatch', 'image', 'the image was built for another CPU architecture or OS', '`exec format error`, `exec user process caused`'),
  network_egress_blocked: info('network_egress_blocked', 'network', 'the task cannot reach a registry or an AWS endpoint it needs (no NAT, no VPC endpoint, security group egress, no public IP, DNS off)', '`i/o timeout`, `context deadline exceeded`, `request canceled while waiting for connection`, `Please check your task network configuration`'),
  secrets_fetch_failed: info('secrets_fetch_failed', 'task_init', 'a secret or parameter named in the task definition could not be fetched or used (permissions, KMS, missing name, bad JSON key)', '`unable to retrieve secret from asm`, `unable to retrieve secrets from ssm`, `AccessDeniedException`, `ParameterNotFound`, `ResourceNotFoundException`'),
  log_setup_failed: info('log_setup_failed', 'task_init', 'the log driver could not start (log group missing, no permission)', '`failed to initialize logging driver`, `failed to validate logger args`, `The specified log group does not exist`'),
  volume_mount_failed: info('volume_mount_failed', 'task_init', 'a volume could not be mounted, or a mount hides files the image needs', '`CannotCreateVolumeError`, EFS mount errors, a start script missing only when a volume is mounted over its folder'),
  container_command_invalid: info('container_command_invalid', 'task_init', 'the entrypoint/command cannot be executed as written', '`executable file not found in $PATH`, `no such file or directory` for the entrypoint, `permission denied` on it, command words glued into one argument'),
  app_import_error: info('app_import_error', 'app', 'the program cannot load a module, package, class or dependency', 'Python `ModuleNotFoundError`/`ImportError`, Node `Cannot find module`/`ERR_MODULE_NOT_FOUND`, Java `ClassNotFoundException`/`NoClassDefFoundError`, Ruby `LoadError`'),
  app_config_missing: info('app_config_missing', 'app', 'required configuration (environment variable, config file, setting) is absent or invalid', '`KeyError: \'X\'` on the environment, `environment variable X is not set`, `ImproperlyConfigured`'),
  app_crash: info('app_crash', 'app', 'the program raised an uncaught exception, panicked or segfaulted (start-up or later)', 'Python `Traceback`, Node uncaught `Error`/`TypeError`, Go `panic:`, Java `Exception in thread "main"`, `Segmentation fault`'),
  port_bind_failed: info('port_bind_failed', 'app', 'the program could not listen on its port', '`EADDRINUSE`, `address already in use`, `bind: permission denied`'),
  permission_denied: info('permission_denied', 'app', 'the program was refused a file or directory (read-only root filesystem, wrong user)', '`EACCES`, `Permission denied`, `Read-only file system`'),
  app_exit_nonzero: info('app_exit_nonzero', 'app', 'an essential container exited non-zero and nothing more specific is known (fallback)', '`exitCode` ≠ 0 without other evidence'),
  dependency_unreachable: info('dependency_unreachable', 'dependency', 'a database, cache, queue or API the program needs cannot be reached or resolved', '`Connection refused`, `ECONNREFUSED`, `getaddrinfo ENOTFOUND`, `could not translate host name`, `Name or service not known`, connect timeouts'),
  dependency_auth_failed: info('dependency_auth_failed', 'dependency', 'a dependency rejected the program\'s credentials', '`password authentication failed`, `Access denied for user`, `AUTH failed`'),
  oom_killed: info('oom_killed', 'resources', 'the container or a process in it ran out of memory', 'reason `OutOfMemoryError: Container killed due to memory usage`, `OOM-killed`, `JavaScript heap out of memory`, `java.lang.OutOfMemoryError`, `MemoryError` (exit 137 alone is **not** proof)'),
  disk_full: info('disk_full', 'resources', 'a disk the task or host needs is full', '`no space left on device`'),
  health_check_timeout: info('health_check_timeout', 'health', 'load-balancer health checks time out: the program accepts connections but does not answer in time', 'target health `Target.Timeout`, `Request timed out`'),
  health_check_bad_status: info('health_check_bad_status', 'health', 'health checks get an unexpected HTTP status (wrong path, redirect, host-header rejection, auth)', '`Target.ResponseCodeMismatch`, `Health checks failed with these codes`, `Invalid HTTP_HOST header`'),
  health_check_connection_failed: info('health_check_connection_failed', 'health', 'health checks cannot connect: nothing listens on the port, wrong port, bound to 127.0.0.1, security group', '`Target.FailedHealthChecks` with no sign the program listened on the checked port'),
  health_check_startup_too_slow: info('health_check_startup_too_slow', 'health', 'the program works but becomes ready later than the health-check budget (grace period, thresholds) allows', '`Task failed ELB health checks` while logs show the server started listening late, near or after the stop'),
  container_health_check_failed: info('container_health_check_failed', 'health', 'the container\'s own `healthCheck` command failed', '`Task failed container health checks`'),
  platform_error: info('platform_error', 'platform', 'an AWS-side or runtime fault not caused by the task\'s configuration', '`InternalError`, `ContainerRuntimeError`, `ContainerRuntimeTimeoutError`, `CannotInspectContainerError`, stopCode `InfrastructureHealth`'),
  benign_stop: info('benign_stop', 'benign', 'a stop that needs nobody: deployment replacement, scale-in, user stop, Spot interruption, task retirement, a batch task that exited 0', '`Scaling activity initiated by`, `Task stopped by user`, `Your Spot Task was interrupted`, stopCode `UserInitiated`, `SpotInterruption`', false),
  unknown: info('unknown', 'none', 'no rule matched; the report still shows the most error-like evidence found', ''),
  load_balancer_misconfigured: info('load_balancer_misconfigured', 'network', 'the load balancer cannot send traffic to the target: target not registered, target group not used by a listener, target in an Availability Zone the load balancer does not enable, IP address unusable, target stopped', 'target health `Target.NotRegistered`, `Target.NotInUse`, `Target.IpUnusable`, `Target.InvalidState`'),
  api_throttled: info('api_throttled', 'platform', 'ECS or AWS Cloud Map throttled the service\'s API calls, so the scheduler cannot start or register tasks for a while', 'service event `operations are being throttled`, `ECS_OPERATION_THROTTLED`, `SERVICE_DISCOVERY_OPERATION_THROTTLED`'),
  deployment_config_blocked: info('deployment_config_blocked', 'placement', 'the deployment configuration (`minimumHealthyPercent`/`maximumPercent`) or protected tasks stop the scheduler from starting or stopping tasks', 'service event `because of the service deployment configuration`, `The number of protected tasks are more than the desired count of tasks`'),
  task_config_invalid: info('task_config_invalid', 'placement', 'ECS rejects the task configuration before starting a task (a role it cannot assume, an unsupported network mode or parameter)', '`SERVICE_TASK_CONFIGURATION_FAILURE`, service event `failed to launch a task with (error …)`'),
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
  'task_config_invalid',
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
  'deployment_config_blocked',
  'load_balancer_misconfigured',
  'api_throttled',
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

