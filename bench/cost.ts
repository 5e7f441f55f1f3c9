import type { Row } from './table';

/**
 * Measurement 5: what one incident costs in Lambda compute, from the measured times and the
 * function's configured memory (`memorySize` of lib/config.ts, which lib/analyzer-function.ts gives
 * the NodejsFunction).
 *
 * Prices: AWS Lambda, arm64, US East (N. Virginia), first pricing tier — $0.0000133334 per GB-second
 * and $0.20 per million requests (https://aws.amazon.com/lambda/pricing/). Duration is billed per
 * millisecond, rounded up. Since 1 August 2025 the INIT phase of on-demand ZIP functions on managed
 * runtimes is billed as well (https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/),
 * so a cold incident also pays for loading the asset.
 */

/** USD per GB-second, arm64, first tier. */
export const ARM64_USD_PER_GB_SECOND = 0.0000133334;
/** USD per request. */
export const USD_PER_REQUEST = 0.2 / 1_000_000;

/** Inputs of the cost estimate. */
export interface CostInputs {
  /** Configured function memory, MB. */
  memoryMb: number;
  /** Measured collection + analysis of a task stop, ms (measurement 2). */
  analysisMs: number;
  /** Sequential delivery round trips (audit write, notifications in parallel, audit rewrite). */
  deliveryRoundTrips: number;
  /** Latency assumed per round trip, ms (the same as measurement 2's). */
  roundTripMs: number;
  /** Measured load time of the asset, ms (measurement 3), billed once per cold start. */
  initMs: number;
}

function usd(gbSeconds: number): number {
  return gbSeconds * ARM64_USD_PER_GB_SECOND + USD_PER_REQUEST;
}

/** Table rows of measurement 5. */
export function costRows(c: CostInputs): Row[] {
  const gb = c.memoryMb / 1024;
  const warmMs = Math.ceil(c.analysisMs + c.deliveryRoundTrips * c.roundTripMs);
  const coldMs = warmMs + Math.ceil(c.initMs);
  const warm = (gb * warmMs) / 1000;
  const cold = (gb * coldMs) / 1000;
  return [
    {
      name: `5 cost per incident, warm (${c.memoryMb} MB)`,
      figure: `${warm.toFixed(4)} GB-s = $${usd(warm).toFixed(7)}`,
      reference: `${warmMs} ms billed: ${c.analysisMs.toFixed(0)} ms measured + ${c.deliveryRoundTrips} delivery round trips × ${c.roundTripMs} ms`,
      budget: '',
    },
    {
      name: `5 cost per incident, cold (${c.memoryMb} MB)`,
      figure: `${cold.toFixed(4)} GB-s = $${usd(cold).toFixed(7)}`,
      reference: `+ ${Math.ceil(c.initMs)} ms INIT and first-invocation setup; $${(usd(cold) * 1000).toFixed(4)} per 1,000 incidents`,
      budget: '',
    },
  ];
}
