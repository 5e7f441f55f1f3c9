import type { IncidentRecord, ThreadRef } from './incident-grouping';
import { IncidentStoreError, TABLE_KEY_ATTRIBUTE, TABLE_TTL_ATTRIBUTE } from './state-table';

/** The items of incident grouping in the state table: their ids, and reading a record back. */

/** The item id of an incident key's record. */
export function incidentKeyId(incidentKey: string): string {
  return `incident#${incidentKey}`;
}

/** The item id of a service's open-incident set. */
export function serviceKeyId(serviceKey: string): string {
  return `service#${serviceKey}`;
}

const STRING_FIELDS = ['incidentKey', 'incidentId', 'status', 'firstSeen', 'lastSeen', 'openedBy', 'title', 'category', 'severity', 'serviceLabel'] as const;
const NUMBER_FIELDS = ['count', 'taskStops', 'summaries', 'version'] as const;

/** Checks an item read back; the table may be shared, so nothing is taken on trust. */
export function recordOf(item: Record<string, unknown>, incidentKey: string): IncidentRecord {
  const bad = (field: string) => new IncidentStoreError(`item ${incidentKeyId(incidentKey)} is not an incident record (${field})`);
  for (const f of STRING_FIELDS) if (typeof item[f] !== 'string') throw bad(f);
  for (const f of NUMBER_FIELDS) if (typeof item[f] !== 'number') throw bad(f);
  for (const f of ['taskIds', 'recentEventIds', 'triggerKinds']) if (!Array.isArray(item[f])) throw bad(f);
  const thread = item.thread as Partial<ThreadRef> | undefined;
  // `nextSummaryAt`: written by earlier versions, milestones are now a function of the count.
  const { [TABLE_KEY_ATTRIBUTE]: _id, [TABLE_TTL_ATTRIBUTE]: expiration, thread: _thread, notified, claims, nextSummaryAt: _next, triggerKinds, ...rest } = item;
  const resendClaims = claims && typeof claims === 'object' ? Object.entries(claims).filter((e): e is [string, number] => typeof e[1] === 'number') : [];
  return {
    ...(rest as unknown as Omit<IncidentRecord, 'expiresAt'>),
    // Concurrent repeats may append the same new kind twice.
    triggerKinds: [...new Set(triggerKinds as IncidentRecord['triggerKinds'])],
    expiresAt: typeof expiration === 'number' ? expiration : 0,
    ...(resendClaims.length > 0 ? { claims: Object.fromEntries(resendClaims) } : {}),
    ...(notified instanceof Set ? { notified: [...notified].filter((c): c is string => typeof c === 'string').sort() } : {}),
    ...(thread && typeof thread.channel === 'string' && typeof thread.ts === 'string' ? { thread: { channel: thread.channel, ts: thread.ts } } : {}),
  };
}
