import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { withTimeout, type CallBudget } from '../shared/http-timeout';

/**
 * The DynamoDB state table as the incident store uses it: its key and TTL attributes, its errors,
 * and calls with a timeout inside the caller's budget — updates whose failed condition is a conflict
 * (`IncidentConflictError`) or a claim that another invocation made unnecessary (`false`).
 * Conditional writes: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate
 */

/** Attribute names shared with the Powertools idempotency persistence layer's defaults. */
export const TABLE_KEY_ATTRIBUTE = 'id';
/** TTL attribute of the table (epoch seconds). */
export const TABLE_TTL_ATTRIBUTE = 'expiration';

/** A conditional write found the record changed since it was read: another invocation wrote first, the incident was replaced, or the occurrence is already counted. */
export class IncidentConflictError extends Error {
  override readonly name = 'IncidentConflictError';
}

/** The table answered something that is not a record this code wrote, or the call failed. */
export class IncidentStoreError extends Error {
  override readonly name = 'IncidentStoreError';
}

/** Options of `IncidentStore` (and of the table it extends). */
export interface IncidentStoreOptions {
  /** Built once by the caller (region, endpoint, timeouts). */
  client: DynamoDBClient;
  tableName: string;
  /** Timeout of each call in ms (capped by the budget's deadline); default 3 000. */
  timeoutMs?: number;
}

/** DynamoDB calls on the state table, each within a timeout and the caller's budget. */
export abstract class StateTable {
  protected readonly doc: DynamoDBDocumentClient;
  protected readonly tableName: string;
  private readonly timeoutMs: number;

  constructor(options: IncidentStoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.tableName = options.tableName;
    this.timeoutMs = options.timeoutMs ?? 3_000;
  }

  /** An update whose failed condition is a conflict; returns the item when `ReturnValues` asks for it. */
  protected async conditional(budget: Partial<CallBudget>, input: UpdateCommandInput, conflict: string): Promise<Record<string, unknown> | undefined> {
    try {
      const output = await withTimeout(this.budget(budget), 'DynamoDB UpdateItem', (abortSignal) => this.doc.send(new UpdateCommand(input), { abortSignal }));
      return output.Attributes;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') throw new IncidentConflictError(conflict, { cause: error });
      throw new IncidentStoreError(`DynamoDB UpdateItem on ${this.tableName} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  /** An update that another invocation may have made unnecessary: false when its condition failed. */
  protected async claim(budget: Partial<CallBudget>, input: UpdateCommandInput): Promise<boolean> {
    try {
      await this.conditional(budget, input, 'claimed by another invocation');
      return true;
    } catch (error) {
      if (error instanceof IncidentConflictError) return false;
      throw error;
    }
  }

  protected async call<T>(budget: Partial<CallBudget>, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
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
