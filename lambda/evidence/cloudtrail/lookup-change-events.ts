import { LookupEventsCommand, type CloudTrailClient, type Event } from '@aws-sdk/client-cloudtrail';
import { callAws, type CallContext } from '../../shared/aws-call';
import { minimalCloudTrailEvent } from '../bundle/redact-bundle';
import { normaliseCloudTrailEvent } from '../normalise-changes';

/**
 * Who changed a service or its task-definition family: CloudTrail LookupEvents over the window before a
 * deployment. LookupEvents has no resource-level permission and a quota of two requests per second per
 * account and Region, so this makes one request per page (at most `MAX_PAGES`), filtered on
 * `ReadOnly=false` (write events only), and keeps the ECS events that name the service or family.
 * Each kept event's `CloudTrailEvent` is cut down at once to who and when (`minimalCloudTrailEvent`):
 * the request parameters of `RegisterTaskDefinition` hold environment values.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 * Never throws: a failure (access denied, throttled) is a gap.
 */

/** The ECS calls that start a deployment or register what it deploys. */
export const CHANGE_EVENT_NAMES: ReadonlySet<string> = new Set(['UpdateService', 'CreateService', 'RegisterTaskDefinition']);

/** Pages read at most (50 events each). */
export const MAX_PAGES = 2;

/** Input of `lookupChangeEvents`; times in epoch ms. */
export interface LookupChangeEventsInput {
  /** Service name, matched against the events' resources and `requestParameters.service`. */
  service?: string;
  /** Task-definition family, matched against `requestParameters.family`. */
  family?: string;
  startTime: number;
  endTime: number;
}

/**
 * The `UpdateService`, `CreateService` and `RegisterTaskDefinition` events of the service or family in
 * the window, as reduced LookupEvents `Events[]` entries (bundle key `cloudTrailEvents`).
 */
export async function lookupChangeEvents(
  cloudtrail: CloudTrailClient,
  ctx: CallContext,
  input: LookupChangeEventsInput,
): Promise<{ events: Event[]; gaps: string[] }> {
  const wanted = new Set([input.service, input.family].filter((n): n is string => Boolean(n)));
  const subject = `changes to ${[input.service ? `service ${input.service}` : '', input.family ? `task-definition family ${input.family}` : ''].filter(Boolean).join(' and ')}`;
  const events: Event[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const token = nextToken;
    const outcome = await callAws(
      'cloudtrail:LookupEvents',
      ctx.deadline,
      { timeoutMs: ctx.callTimeoutMs, subject },
      (abortSignal) =>
        cloudtrail.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }],
            StartTime: new Date(input.startTime),
            EndTime: new Date(input.endTime),
            MaxResults: 50,
            ...(token ? { NextToken: token } : {}),
          }),
          { abortSignal },
        ),
    );
    if (!outcome.ok) return { events, gaps: [outcome.gap] };
    for (const raw of outcome.value?.Events ?? []) {
      if (raw.EventSource !== undefined && raw.EventSource !== 'ecs.amazonaws.com') continue;
      if (!CHANGE_EVENT_NAMES.has(raw.EventName ?? '')) continue;
      const reduced = minimalCloudTrailEvent(raw);
      const names = normaliseCloudTrailEvent(reduced)?.resourceNames ?? [];
      if (names.some((n) => wanted.has(n.split('/').pop()?.replace(/:\d+$/, '') ?? n))) events.push(reduced);
    }
    nextToken = outcome.value?.NextToken;
    if (!nextToken) break;
  }
  return { events, gaps: [] };
}
