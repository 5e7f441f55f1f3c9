import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CallBudget } from '../shared/http-timeout';
import type { IncidentRecord, ThreadRef, TriggerKind } from './incident-grouping';
import { incidentKeyId, recordOf, serviceKeyId } from './incident-item';
import { IncidentStoreError, StateTable, TABLE_KEY_ATTRIBUTE, TABLE_TTL_ATTRIBUTE } from './state-table';

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
 * Writes are built so that concurrent invocations for one incident do not contend:
 * - opening an incident (`open`) is the only write conditioned on the version read before (compare
 *   and set): of the invocations that saw no open incident, the first wins and the others, on
 *   `IncidentConflictError`, re-read and count into it
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate);
 * - a repeat is counted by one `UpdateItem` with `ADD` (an atomic counter: each call sees its own
 *   count; ADD on a missing number starts from 0,
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.AtomicCounters,
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html#Expressions.UpdateExpressions.ADD)
 *   and `list_append`, returning the whole item as written (`ReturnValues: ALL_NEW`, strongly
 *   consistent, https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html);
 *   its condition only refuses a replaced incident or an occurrence already counted (`contains` on
 *   a list, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Functions);
 * - the last-seen time, a summary and an escalation are claims: conditional writes that the first
 *   (for the last-seen time, the latest) invocation wins and the others skip (`false`), never retry;
 *   a resolution is conditioned on the incident being open with no later occurrence. ISO-8601 times
 *   of one format (`Date.prototype.toISOString`) compare as strings in time order: DynamoDB compares
 *   strings by the bytes of their UTF-8 encoding
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.String,
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Comparators).
 *
 * The thread reference, the channels that accepted the full report (`notified`, a string set) and
 * the re-send claims (`claims`, a map of channel to epoch ms) are written by their own updates,
 * conditioned on the incident id, and never by a record write, so a concurrent repeat cannot erase
 * them. TTL deletes lazily (typically within days,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html), so expiry is also
 * checked in code (`incident-grouping.ts` uses the times, not the TTL).
 */

/** What `count` adds to an incident for one repeat. */
export interface CountedOccurrence {
  eventId: string;
  /** The stopped task's id (counted as a task stop). */
  taskId?: string;
  /** The occurrence's trigger kind when the incident has not seen it yet. */
  newTriggerKind?: TriggerKind;
  /** Stored if the incident has none yet. */
  deploymentId?: string;
}

// Optional record fields, removed by `open` when the new incident has none; `thread`, `notified` and `claims` are left to their own updates.
const OPTIONAL_FIELDS = ['lastBroadcastAt', 'failedDeployments', 'cluster', 'service', 'deploymentId', 'resolvedAt', 'resolvedBy'] as const;

/** DynamoDB access for incident grouping. */
export class IncidentStore extends StateTable {
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
   * Opens a new incident: writes `record` if the stored version is still `expectedVersion`
   * (undefined: no item yet), and clears what belonged to the previous incident of the key (thread,
   * notified channels, re-send claims, summary and resolution fields).
   *
   * @throws IncidentConflictError when another invocation wrote first.
   * @throws IncidentStoreError when the call fails.
   */
  async open(record: IncidentRecord, expectedVersion: number | undefined, budget: Partial<CallBudget> = {}): Promise<void> {
    // DynamoDB refuses names and values that the expressions do not use.
    const names: Record<string, string> = { '#ttl': TABLE_TTL_ATTRIBUTE, '#thread': 'thread', '#notified': 'notified', '#claims': 'claims' };
    const values: Record<string, unknown> = { ':ttl': record.expiresAt, ':claims': {} };
    // Nobody has the new incident's report yet and nobody is re-sending it.
    const sets = ['#ttl = :ttl', '#claims = :claims'];
    const removes = ['#thread', '#notified'];
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
    let condition = '#version = :expected';
    if (expectedVersion === undefined) {
      names['#id'] = TABLE_KEY_ATTRIBUTE;
      condition = 'attribute_not_exists(#id)';
    } else {
      values[':expected'] = expectedVersion;
    }
    await this.conditional(budget, {
      TableName: this.tableName,
      Key: { [TABLE_KEY_ATTRIBUTE]: incidentKeyId(record.incidentKey) },
      UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }, `incident ${record.incidentKey} changed since it was read`);
  }

  /**
   * Counts one repeat into open incident `incidentId` with one unconditional-in-effect update: `ADD`
   * 1 to `count` and `version` (and to `taskStops` for a task), appends the ids to `recentEventIds`
   * and `taskIds`, and the trigger kind when `newTriggerKind`. Concurrent calls never conflict: each
   * returns the record with its own count. The id lists grow until `trimIds`.
   *
   * @returns the record as written (`ReturnValues: ALL_NEW`).
   * @throws IncidentConflictError when the key holds another incident, it is resolved, or the event
   *   or task is already counted (re-read and decide again).
   * @throws IncidentStoreError when the call fails.
   */
  async count(incidentKey: string, incidentId: string, occurrence: CountedOccurrence, budget: Partial<CallBudget> = {}): Promise<IncidentRecord> {
    const names: Record<string, string> = { '#incidentId': 'incidentId', '#status': 'status', '#count': 'count', '#version': 'version', '#recentEventIds': 'recentEventIds' };
    const values: Record<string, unknown> = { ':incidentId': incidentId, ':open': 'open', ':one': 1, ':eventId': occurrence.eventId, ':eventIds': [occurrence.eventId] };
    const adds = ['#count :one', '#version :one'];
    const sets = ['#recentEventIds = list_append(#recentEventIds, :eventIds)'];
    let condition = '#incidentId = :incidentId AND #status = :open AND NOT contains(#recentEventIds, :eventId)';
    if (occurrence.taskId !== undefined) {
      Object.assign(names, { '#taskStops': 'taskStops', '#taskIds': 'taskIds' });
      Object.assign(values, { ':taskId': occurrence.taskId, ':taskIds': [occurrence.taskId] });
      adds.push('#taskStops :one');
      sets.push('#taskIds = list_append(#taskIds, :taskIds)');
      condition += ' AND NOT contains(#taskIds, :taskId)';
    }
    if (occurrence.newTriggerKind !== undefined) {
      // Two invocations may both append a new kind; `recordOf` reads the list as a set.
      names['#triggerKinds'] = 'triggerKinds';
      values[':kinds'] = [occurrence.newTriggerKind];
      sets.push('#triggerKinds = list_append(#triggerKinds, :kinds)');
    }
    if (occurrence.deploymentId !== undefined) {
      names['#deploymentId'] = 'deploymentId';
      values[':deploymentId'] = occurrence.deploymentId;
      sets.push('#deploymentId = if_not_exists(#deploymentId, :deploymentId)');
    }
    const item = await this.conditional(budget, {
      TableName: this.tableName,
      Key: { [TABLE_KEY_ATTRIBUTE]: incidentKeyId(incidentKey) },
      UpdateExpression: `ADD ${adds.join(', ')} SET ${sets.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    }, `incident ${incidentKey} is no longer ${incidentId}, or occurrence ${occurrence.eventId} is already counted`);
    if (!item) throw new IncidentStoreError(`DynamoDB UpdateItem on ${this.tableName} returned no item for ${incidentKeyId(incidentKey)}`);
    return recordOf(item, incidentKey);
  }

  /**
   * Sets `lastSeen` (ISO-8601) and the TTL (`expiresAt`, epoch seconds) of incident `incidentId` if
   * the stored `lastSeen` is earlier.
   * @returns false when it is not (a later occurrence was stored first) or the incident was replaced.
   * @throws IncidentStoreError when the call fails.
   */
  async advanceLastSeen(incidentKey: string, incidentId: string, lastSeen: string, expiresAt: number, budget: Partial<CallBudget> = {}): Promise<boolean> {
    return this.claim(budget, {
      TableName: this.tableName,
      Key: { [TABLE_KEY_ATTRIBUTE]: incidentKeyId(incidentKey) },
      UpdateExpression: 'SET #lastSeen = :lastSeen, #ttl = :ttl',
      ConditionExpression: '#incidentId = :incidentId AND #lastSeen < :lastSeen',
      ExpressionAttributeNames: { '#incidentId': 'incidentId', '#lastSeen': 'lastSeen', '#ttl': TABLE_TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':incidentId': incidentId, ':lastSeen': lastSeen, ':ttl': expiresAt },
    });
  }

  /**
   * Drops the oldest `taskIds` and `recentEventIds` entries of incident `incidentId` (`REMOVE` of
   * list elements by index, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html#Expressions.UpdateExpressions.REMOVE.RemovingListElements).
   * Only appends run concurrently, so the first indexes stay the oldest entries.
   * @throws IncidentStoreError when the call fails.
   */
  async trimIds(incidentKey: string, incidentId: string, drop: { taskIds: number; recentEventIds: number }, budget: Partial<CallBudget> = {}): Promise<void> {
    // Highest index first: the same elements go whether indexes refer to the list before the update or as it shrinks.
    const removes = (['taskIds', 'recentEventIds'] as const).flatMap((list) => Array.from({ length: Math.max(0, drop[list]) }, (_, i) => `#${list}[${drop[list] - 1 - i}]`));
    if (removes.length === 0) return;
    await this.claim(budget, {
      TableName: this.tableName,
      Key: { [TABLE_KEY_ATTRIBUTE]: incidentKeyId(incidentKey) },
      UpdateExpression: `REMOVE ${removes.join(', ')}`,
      ConditionExpression: '#incidentId = :incidentId',
      ExpressionAttributeNames: { '#incidentId': 'incidentId', '#taskIds': 'taskIds', '#recentEventIds': 'recentEventIds' },
      ExpressionAttributeValues: { ':incidentId': incidentId },
    });
  }

  /**
   * Claims a milestone summary of incident `incidentId`: adds 1 to `summaries` if fewer than
   * `maxSummaries` were claimed; with `broadcast`, only if no summary was broadcast after
   * `broadcast.notAfter` (ISO-8601), and then records `broadcast.at` as `lastBroadcastAt`.
   * @returns false when the condition does not hold (nothing written).
   * @throws IncidentStoreError when the call fails.
   */
  async claimSummary(
    incidentKey: string,
    incidentId: string,
    maxSummaries: number,
    broadcast: { at: string; notAfter: string } | undefined,
    budget: Partial<CallBudget> = {},
  ): Promise<boolean> {
    const names: Record<string, string> = { '#incidentId': 'incidentId', '#summaries': 'summaries' };
    const values: Record<string, unknown> = { ':incidentId': incidentId, ':max': maxSummaries, ':one': 1 };
    let update = 'ADD #summaries :one';
    let condition = '#incidentId = :incidentId AND #summaries < :max';
    if (broadcast) {
      names['#lastBroadcastAt'] = 'lastBroadcastAt';
      Object.assign(values, { ':at': broadcast.at, ':notAfter': broadcast.notAfter });
      update += ' SET #lastBroadcastAt = :at';
      condition += ' AND (attribute_not_exists(#lastBroadcastAt) OR #lastBroadcastAt <= :notAfter)';
    }
    return this.claim(budget, {
      TableName: this.tableName,
      Key: { [TABLE_KEY_ATTRIBUTE]: incidentKeyId(incidentKey) },
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  /**
   * Claims the escalation of a failed deployment (`deploymentId`, or `deployment`) in the record of
   * `incidentKey`: appends it to `failedDeployments`, adds 1 to `summaries` and sets
   * `lastBroadcastAt` to `at` (ISO-8601), if the deployment is not in the list yet.
   * @returns false when another invocation escalated it first (or the record is gone).
   * @throws IncidentStoreError when the call fails.
   */
  async claimEscalation(incidentKey: string, deployment: string, at: string, budget: Partial<CallBudget> = {}): Promise<boolean> {
    return this.claim(budget, {
      TableName: this.tableName,
      Key: { [TABLE_KEY_ATTRIBUTE]: incidentKeyId(incidentKey) },
      UpdateExpression: 'SET #failed = list_append(if_not_exists(#failed, :none), :deployments), #lastBroadcastAt = :at ADD #summaries :one',
      // Not conditioned on the incident id: a deployment failure is delivered once per key, also when a
      // new incident replaced the one it was counted in meanwhile.
      ConditionExpression: 'attribute_exists(#incidentId) AND NOT contains(#failed, :deployment)',
      ExpressionAttributeNames: { '#incidentId': 'incidentId', '#failed': 'failedDeployments', '#lastBroadcastAt': 'lastBroadcastAt', '#summaries': 'summaries' },
      ExpressionAttributeValues: { ':none': [], ':deployments': [deployment], ':deployment': deployment, ':at': at, ':one': 1 },
    });
  }

  /**
   * Resolves open incident `incidentId` if its last occurrence is not after `recovery.at` (ISO-8601):
   * sets `status`, `resolvedAt`, `resolvedBy` and the TTL (`expiresAt`, epoch seconds).
   * @returns the record as written.
   * @throws IncidentConflictError when it is no longer open, was replaced, or had a later occurrence.
   * @throws IncidentStoreError when the call fails.
   */
  async resolve(incidentKey: string, incidentId: string, recovery: { at: string; reason: string }, expiresAt: number, budget: Partial<CallBudget> = {}): Promise<IncidentRecord> {
    const item = await this.conditional(budget, {
      TableName: this.tableName,
      Key: { [TABLE_KEY_ATTRIBUTE]: incidentKeyId(incidentKey) },
      UpdateExpression: 'SET #status = :resolved, #resolvedAt = :at, #resolvedBy = :reason, #ttl = :ttl ADD #version :one',
      ConditionExpression: '#incidentId = :incidentId AND #status = :open AND #lastSeen <= :at',
      ExpressionAttributeNames: { '#incidentId': 'incidentId', '#status': 'status', '#resolvedAt': 'resolvedAt', '#resolvedBy': 'resolvedBy', '#ttl': TABLE_TTL_ATTRIBUTE, '#version': 'version', '#lastSeen': 'lastSeen' },
      ExpressionAttributeValues: { ':incidentId': incidentId, ':resolved': 'resolved', ':open': 'open', ':at': recovery.at, ':reason': recovery.reason, ':ttl': expiresAt, ':one': 1 },
      ReturnValues: 'ALL_NEW',
    }, `incident ${incidentKey} is no longer open as ${incidentId}, or had an occurrence after ${recovery.at}`);
    if (!item) throw new IncidentStoreError(`DynamoDB UpdateItem on ${this.tableName} returned no item for ${incidentKeyId(incidentKey)}`);
    return recordOf(item, incidentKey);
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
}
