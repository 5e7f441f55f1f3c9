import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { withTimeout, type CallBudget } from '../shared/http-timeout';
import type { IncidentRecord, ThreadRef } from './incident-grouping';

/**
 * The incident records in DynamoDB: a thin store with no decisions of its own.
 *
 * One table, partition key `id` (string), TTL attribute `expiration` (epoch seconds) — the layout of
 * the Powertools idempotency table, so one table can serve both (Powertools keys start with the
 * function name and `#`, these with `incident#` and `service#`):
 * - `incident#<incidentKey>`: the latest incident of that key (`IncidentRecord` attributes);
 * - `service#<account>/<region>/<cluster>/<service>`: `incidents`, a string set of the keys of the
 *   service's open incidents, read when the service recovers.
 *
 * Every write of a record is an `UpdateItem` conditioned on the version read before (compare and
 * set), so concurrent invocations never lose an update: the loser gets `IncidentConflictError`,
 * re-reads and decides again
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate).
 * The thread reference, the channels that accepted the full report (`notified`, a string set) and
 * the re-send claims (`claims`, a map of channel to epoch ms) are written by their own updates,
 * conditioned on the incident id, and never by a record write, so a concurrent repeat cannot erase
 * them. TTL deletes lazily (typically within days,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html), so expiry is also
 * checked in code (`incident-grouping.ts` uses the times, not the TTL).
 */

/** Attribute names shared with the Powertools idempotency persistence layer's defaults. */
export const TABLE_KEY_ATTRIBUTE = 'id';
/** TTL attribute of the table (epoch seconds). */
export const TABLE_TTL_ATTRIBUTE = 'expiration';

/** Another invocation wrote the record since it was read. */
export class IncidentConflictError extends Error {
  override readonly name = 'IncidentConflictError';
}

/** The table answered something that is not a record this code wrote, or the call failed. */
export class IncidentStoreError extends Error {
  override readonly name = 'IncidentStoreError';
}

/** Options of `IncidentStore`. */
export interface IncidentStoreOptions {
  /** Built once by the caller (region, endpoint, timeouts). */
  client: DynamoDBClient;
  tableName: string;
  /** Timeout of each call in ms (capped by the budget's deadline); default 3 000. */
  timeoutMs?: number;
}

// Optional record fields written by `put`; `thread`, `notified` and `claims` are left to their own updates.
const OPTIONAL_FIELDS = ['lastBroadcastAt', 'failedDeployments', 'cluster', 'service', 'deploymentId', 'resolvedAt', 'resolvedBy'] as const;

/** DynamoDB access for incident grouping. */
export class IncidentStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly timeoutMs: number;

  constructor(options: IncidentStoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.tableName = options.tableName;
    this.timeoutMs = options.timeoutMs ?? 3_000;
  }

  /**
   * The record of an incident key (strongly consistent read), or undefined.
   * @throws IncidentStoreError when the call fails or the item is not a record.
   */
  async get(incidentKey: string, budget: Partial<CallBudget> = {}): Promise<IncidentRecord | undefined> {
    const output = await this.call(budget, 'GetItem', (abortSignal) =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { [TABLE_KEY_ATTRIBUTE]: incidentKeyId(incidentKey) }, ConsistentRead: true }), { abortSignal }),
    );
    return output.Item ? recordOf(output.Item, incidentKey) : undefined;
  }

  /**
   * Writes `record` if the stored version is still `expectedVersion` (undefined: no item yet).
   * `newIncident` also clears the thread reference of the previous incident of the key.
   *
   * @throws IncidentConflictError when another invocation wrote first.
   * @throws IncidentStoreError when the call fails.
   */
  async put(record: IncidentRecord, expectedVersion: number | undefined, options: { newIncident: boolean; budget?: Partial<CallBudget> }): Promise<void> {
    // DynamoDB refuses names and values that the expressions do not use.
    const names: Record<string, string> = { '#ttl': TABLE_TTL_ATTRIBUTE };
    const values: Record<string, unknown> = { ':ttl': record.expiresAt };
    const sets = ['#ttl = :ttl'];
    const removes: string[] = [];
    const { thread: _thread, notified: _notified, claims: _claims, expiresAt: _expiresAt, ...fields } = record;
    for (const [name, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = :${name}`);
    }
    for (const name of OPTIONAL_FIELDS) {
      if (record[name] !== undefined) continue;
      names[`#${name}`] = name;
      removes.push(`#${name}`);
    }
    if (options.newIncident) {
      // A new incident: nobody has its report yet and nobody is re-sending it.
      names['#thread'] = 'thread';
      names['#notified'] = 'notified';
      names['#claims'] = 'claims';
      removes.push('#thread', '#notified');
      values[':claims'] = {};
      sets.push('#claims = :claims');
    } else {
      // Records written before re-sends existed get the map the claims are written into.
      names['#claims'] = 'claims';
      values[':claims'] = {};
      sets.push('#claims = if_not_exists(#claims, :claims)');
    }
    let condition = '#version = :expected';
    if (expectedVersion === undefined) {
      names['#id'] = TABLE_KEY_ATTRIBUTE;
      condition = 'attribute_not_exists(#id)';
    } else {
      values[':expected'] = expectedVersion;
    }
    const input: UpdateCommandInput = {
      TableName: this.tableName,
      Key: { [TABLE_KEY_ATTRIBUTE]: incidentKeyId(record.incidentKey) },
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    await this.conditional(options.budget ?? {}, 'UpdateItem', input, `incident ${record.incidentKey} changed since it was read`);
  }

  /**
   * Stores where the incident's first message is (Slack channel and `ts`), if the key still holds
   * incident `incidentId`.
   * @throws IncidentConflictError when a newer incident replaced it.
   */
  async attachThread(incidentKey: string, incidentId: string, thread: ThreadRef, budget: Partial<CallBudget> = {}): Promise<void> {
    await this.updateIncident(incidentKey, incidentId, 'SET #thread = :thread', { '#thread': 'thread' }, { ':thread': { channel: thread.channel, ts: thread.ts } }, budget);
  }

  /**
   * Records that `channel` accepted the full report of incident `incidentId` (an atomic set `ADD`,
   * never touched by a record write), so its later occurrences only count or summarize there.
   * @throws IncidentConflictError when a newer incident replaced it.
   */
  async markNotified(incidentKey: string, incidentId: string, channel: string, budget: Partial<CallBudget> = {}): Promise<void> {
    await this.updateIncident(incidentKey, incidentId, 'ADD #notified :channel', { '#notified': 'notified' }, { ':channel': new Set([channel]) }, budget);
  }

  /**
   * Claims the re-send of incident `incidentId`'s full report to `channel`, which has not accepted it
   * yet: succeeds for one invocation at a time — once the last delivery to the channel failed
   * (`releaseClaim`) or its holder's time passed (`claims.<channel>`, or the opener's
   * `deliveringUntil` when no claim was written). The claim holds until `untilMs` (epoch ms, the
   * claimant's delivery deadline).
   *
   * @throws IncidentConflictError when another invocation holds the claim, the channel was notified
   *   meanwhile, the opener is still delivering, or a newer incident replaced this one.
   */
  async claimResend(incidentKey: string, incidentId: string, channel: string, nowMs: number, untilMs: number, budget: Partial<CallBudget> = {}): Promise<void> {
    await this.conditional(
      budget,
      'UpdateItem',
      {
        TableName: this.tableName,
        Key: { [TABLE_KEY_ATTRIBUTE]: incidentKeyId(incidentKey) },
        UpdateExpression: 'SET #claims.#channel = :until',
        ConditionExpression:
          '#incidentId = :incidentId AND NOT contains(#notified, :name) AND ((attribute_exists(#claims.#channel) AND #claims.#channel < :now) OR (attribute_not_exists(#claims.#channel) AND (attribute_not_exists(#deliveringUntil) OR #deliveringUntil < :now)))',
        ExpressionAttributeNames: { '#claims': 'claims', '#channel': channel, '#incidentId': 'incidentId', '#notified': 'notified', '#deliveringUntil': 'deliveringUntil' },
        ExpressionAttributeValues: { ':until': untilMs, ':now': nowMs, ':incidentId': incidentId, ':name': channel },
      },
      `the re-send of incident ${incidentKey} to ${channel} is not due`,
    );
  }

  /** Adds an incident key to its service's open incidents (an atomic set `ADD`). */
  async addOpenIncident(serviceKey: string, incidentKey: string, expiresAt: number, budget: Partial<CallBudget> = {}): Promise<void> {
    await this.call(budget, 'UpdateItem', (abortSignal) =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [TABLE_KEY_ATTRIBUTE]: serviceKeyId(serviceKey) },
          UpdateExpression: 'ADD #incidents :keys SET #ttl = :ttl',
          ExpressionAttributeNames: { '#incidents': 'incidents', '#ttl': TABLE_TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':keys': new Set([incidentKey]), ':ttl': expiresAt },
        }),
        { abortSignal },
      ),
    );
  }

  /** The keys of a service's open incidents (possibly stale: each record has the final say). */
  async openIncidents(serviceKey: string, budget: Partial<CallBudget> = {}): Promise<string[]> {
    const output = await this.call(budget, 'GetItem', (abortSignal) =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { [TABLE_KEY_ATTRIBUTE]: serviceKeyId(serviceKey) }, ConsistentRead: true }), { abortSignal }),
    );
    const keys = output.Item?.incidents as unknown;
    return keys instanceof Set ? [...keys].filter((k): k is string => typeof k === 'string').sort() : [];
  }

  /** Removes incident keys from a service's open incidents (an atomic set `DELETE`). */
  async removeOpenIncidents(serviceKey: string, incidentKeys: readonly string[], budget: Partial<CallBudget> = {}): Promise<void> {
    if (incidentKeys.length === 0) return;
    await this.call(budget, 'UpdateItem', (abortSignal) =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [TABLE_KEY_ATTRIBUTE]: serviceKeyId(serviceKey) },
          UpdateExpression: 'DELETE #incidents :keys',
          ExpressionAttributeNames: { '#incidents': 'incidents' },
          ExpressionAttributeValues: { ':keys': new Set(incidentKeys) },
        }),
        { abortSignal },
      ),
    );
  }

  /**
   * Says that the delivery of incident `incidentId`'s report to `channel` failed, so the next
   * occurrence may claim its re-send at once (`claims.<channel>` = 0).
   * @throws IncidentConflictError when a newer incident replaced it.
   */
  async releaseClaim(incidentKey: string, incidentId: string, channel: string, budget: Partial<CallBudget> = {}): Promise<void> {
    await this.updateIncident(incidentKey, incidentId, 'SET #claims.#channel = :zero', { '#claims': 'claims', '#channel': channel }, { ':zero': 0 }, budget);
  }

  /** An update of the record of `incidentKey` if it still holds incident `incidentId`. */
  private async updateIncident(
    incidentKey: string,
    incidentId: string,
    update: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
    budget: Partial<CallBudget>,
  ): Promise<void> {
    await this.conditional(
      budget,
      'UpdateItem',
      {
        TableName: this.tableName,
        Key: { [TABLE_KEY_ATTRIBUTE]: incidentKeyId(incidentKey) },
        UpdateExpression: update,
        ConditionExpression: '#incidentId = :incidentId',
        ExpressionAttributeNames: { ...names, '#incidentId': 'incidentId' },
        ExpressionAttributeValues: { ...values, ':incidentId': incidentId },
      },
      `incident ${incidentKey} is no longer ${incidentId}`,
    );
  }

  private async conditional(budget: Partial<CallBudget>, what: string, input: UpdateCommandInput, conflict: string): Promise<void> {
    try {
      await withTimeout(this.budget(budget), `DynamoDB ${what}`, (abortSignal) => this.doc.send(new UpdateCommand(input), { abortSignal }));
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') throw new IncidentConflictError(conflict, { cause: error });
      throw new IncidentStoreError(`DynamoDB ${what} on ${this.tableName} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  private async call<T>(budget: Partial<CallBudget>, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await withTimeout(this.budget(budget), `DynamoDB ${what}`, fn);
    } catch (error) {
      throw new IncidentStoreError(`DynamoDB ${what} on ${this.tableName} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  private budget(budget: Partial<CallBudget>): CallBudget {
    return { timeoutMs: Math.min(budget.timeoutMs ?? this.timeoutMs, this.timeoutMs), ...(budget.deadline !== undefined ? { deadline: budget.deadline } : {}), ...(budget.signal ? { signal: budget.signal } : {}) };
  }
}

/** The item id of an incident key's record. */
export function incidentKeyId(incidentKey: string): string {
  return `incident#${incidentKey}`;
}

/** The item id of a service's open-incident set. */
export function serviceKeyId(serviceKey: string): string {
  return `service#${serviceKey}`;
}

const STRING_FIELDS = ['incidentKey', 'incidentId', 'status', 'firstSeen', 'lastSeen', 'openedBy', 'title', 'category', 'severity', 'serviceLabel'] as const;
const NUMBER_FIELDS = ['count', 'taskStops', 'nextSummaryAt', 'summaries', 'version'] as const;

/** Checks an item read back; the table may be shared, so nothing is taken on trust. */
function recordOf(item: Record<string, unknown>, incidentKey: string): IncidentRecord {
  const bad = (field: string) => new IncidentStoreError(`item ${incidentKeyId(incidentKey)} is not an incident record (${field})`);
  for (const f of STRING_FIELDS) if (typeof item[f] !== 'string') throw bad(f);
  for (const f of NUMBER_FIELDS) if (typeof item[f] !== 'number') throw bad(f);
  for (const f of ['taskIds', 'recentEventIds', 'triggerKinds']) if (!Array.isArray(item[f])) throw bad(f);
  const thread = item.thread as Partial<ThreadRef> | undefined;
  const { [TABLE_KEY_ATTRIBUTE]: _id, [TABLE_TTL_ATTRIBUTE]: expiration, thread: _thread, notified, claims, ...rest } = item;
  const resendClaims = claims && typeof claims === 'object' ? Object.entries(claims).filter((e): e is [string, number] => typeof e[1] === 'number') : [];
  return {
    ...(rest as unknown as Omit<IncidentRecord, 'expiresAt'>),
    expiresAt: typeof expiration === 'number' ? expiration : 0,
    ...(resendClaims.length > 0 ? { claims: Object.fromEntries(resendClaims) } : {}),
    ...(notified instanceof Set ? { notified: [...notified].filter((c): c is string => typeof c === 'string').sort() } : {}),
    ...(thread && typeof thread.channel === 'string' && typeof thread.ts === 'string' ? { thread: { channel: thread.channel, ts: thread.ts } } : {}),
  };
}
