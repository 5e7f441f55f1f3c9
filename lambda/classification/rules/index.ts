import type { Rule } from '../types';
import { imagePullRateLimited } from './image-pull-rate-limited';
// <imports: placement, image, network, task_init, resources, platform, benign>
// </imports: placement, image, network, task_init, resources, platform, benign>
// <imports: app, dependency, health>
// </imports: app, dependency, health>

/** Every rule of the catalogue. The catalogue-integrity test checks this list against rules/*.ts. */
export const RULES: readonly Rule[] = [
  imagePullRateLimited,
  // <rules: placement, image, network, task_init, resources, platform, benign>
  // </rules: placement, image, network, task_init, resources, platform, benign>
  // <rules: app, dependency, health>
  // </rules: app, dependency, health>
];
