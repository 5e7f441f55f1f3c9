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
  // </rules: app, dependency, health>
];
