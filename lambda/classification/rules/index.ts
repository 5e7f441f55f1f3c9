import type { Rule } from '../types';
import { imagePullRateLimited } from './image-pull-rate-limited';
// <imports: placement, image, network, task_init, resources, platform, benign>
import { serviceUnableToPlaceTask } from './service-unable-to-place-task';
import { taskPlacementFailed } from './task-placement-failed';
import { eniAttachFailed } from './eni-attach-failed';
import { subnetIpAddressesExhausted } from './subnet-ip-addresses-exhausted';
import { networkResourceNotFound } from './network-resource-not-found';
import { imageNotFound } from './image-not-found';
import { registryAuthFailed } from './registry-auth-failed';
import { execFormatError } from './exec-format-error';
import { imagePlatformNotInManifest } from './image-platform-not-in-manifest';
import { networkEgressBlocked } from './network-egress-blocked';
import { secretsFetchFailed } from './secrets-fetch-failed';
import { logDriverSetupFailed } from './log-driver-setup-failed';
import { logRouterExited } from './log-router-exited';
import { volumeMountFailed } from './volume-mount-failed';
import { volumeHidesStartScript } from './volume-hides-start-script';
import { containerCommandNotExecutable } from './container-command-not-executable';
import { commandWordsGlued } from './command-words-glued';
import { containerOomKilled } from './container-oom-killed';
import { processOutOfMemory } from './process-out-of-memory';
import { diskFull } from './disk-full';
import { containerRuntimeError } from './container-runtime-error';
import { infrastructureHealthStop } from './infrastructure-health-stop';
import { serviceScalingStop } from './service-scaling-stop';
import { userInitiatedStop } from './user-initiated-stop';
import { spotInterruption } from './spot-interruption';
import { taskMaintenanceStop } from './task-maintenance-stop';
import { standaloneTaskCompleted } from './standalone-task-completed';
// </imports: placement, image, network, task_init, resources, platform, benign>
// <imports: app, dependency, health>
import { pythonModuleNotFound } from './python-module-not-found';
import { pythonCannotImportName } from './python-cannot-import-name';
import { sharedLibraryMissing } from './shared-library-missing';
import { nodeModuleNotFound } from './node-module-not-found';
import { javaClassNotFound } from './java-class-not-found';
import { rubyLoadError } from './ruby-load-error';
import { dotnetAssemblyLoadFailed } from './dotnet-assembly-load-failed';
import { phpClassNotFound } from './php-class-not-found';
import { envVarMissing } from './env-var-missing';
import { djangoImproperlyConfigured } from './django-improperly-configured';
import { springConfigMissing } from './spring-config-missing';
import { settingsValidationFailed } from './settings-validation-failed';
import { pythonTraceback } from './python-traceback';
import { pythonTypeError } from './python-type-error';
import { nodeUncaughtException } from './node-uncaught-exception';
import { goPanic } from './go-panic';
import { jvmUncaughtException } from './jvm-uncaught-exception';
import { dotnetUnhandledException } from './dotnet-unhandled-exception';
import { nativeCrash } from './native-crash';
import { rubyUncaughtException } from './ruby-uncaught-exception';
import { portAlreadyInUse } from './port-already-in-use';
import { portBindPermissionDenied } from './port-bind-permission-denied';
import { filePermissionDenied } from './file-permission-denied';
import { readOnlyFilesystem } from './read-only-filesystem';
import { essentialContainerExitedNonzero } from './essential-container-exited-nonzero';
import { dependencyConnectionRefused } from './dependency-connection-refused';
import { dependencyDnsFailed } from './dependency-dns-failed';
import { dependencyConnectTimeout } from './dependency-connect-timeout';
import { dependencyAuthFailed } from './dependency-auth-failed';
import { healthCheckTimeout } from './health-check-timeout';
import { healthCheckBadStatus } from './health-check-bad-status';
import { healthCheckConnectionFailed } from './health-check-connection-failed';
import { healthCheckStartupTooSlow } from './health-check-startup-too-slow';
import { containerHealthCheckFailed } from './container-health-check-failed';
// </imports: app, dependency, health>

/** Every rule of the catalogue. The catalogue-integrity test checks this list against rules/*.ts. */
export const RULES: readonly Rule[] = [
  imagePullRateLimited,
  // <rules: placement, image, network, task_init, resources, platform, benign>
  serviceUnableToPlaceTask,
  taskPlacementFailed,
  eniAttachFailed,
  subnetIpAddressesExhausted,
  networkResourceNotFound,
  imageNotFound,
  registryAuthFailed,
  execFormatError,
  imagePlatformNotInManifest,
  networkEgressBlocked,
  secretsFetchFailed,
  logDriverSetupFailed,
  logRouterExited,
  volumeMountFailed,
  volumeHidesStartScript,
  containerCommandNotExecutable,
  commandWordsGlued,
  containerOomKilled,
  processOutOfMemory,
  diskFull,
  containerRuntimeError,
  infrastructureHealthStop,
  serviceScalingStop,
  userInitiatedStop,
  spotInterruption,
  taskMaintenanceStop,
  standaloneTaskCompleted,
  // </rules: placement, image, network, task_init, resources, platform, benign>
  // <rules: app, dependency, health>
  pythonModuleNotFound,
  pythonCannotImportName,
  sharedLibraryMissing,
  nodeModuleNotFound,
  javaClassNotFound,
  rubyLoadError,
  dotnetAssemblyLoadFailed,
  phpClassNotFound,
  envVarMissing,
  djangoImproperlyConfigured,
  springConfigMissing,
  settingsValidationFailed,
  pythonTraceback,
  pythonTypeError,
  nodeUncaughtException,
  goPanic,
  jvmUncaughtException,
  dotnetUnhandledException,
  nativeCrash,
  rubyUncaughtException,
  portAlreadyInUse,
  portBindPermissionDenied,
  filePermissionDenied,
  readOnlyFilesystem,
  essentialContainerExitedNonzero,
  dependencyConnectionRefused,
  dependencyDnsFailed,
  dependencyConnectTimeout,
  dependencyAuthFailed,
  healthCheckTimeout,
  healthCheckBadStatus,
  healthCheckConnectionFailed,
  healthCheckStartupTooSlow,
  containerHealthCheckFailed,
  // </rules: app, dependency, health>
];
