import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { keepIdleConnections } from './idle-connections';

/**
 * A real local DynamoDB for tests: dynalite (in memory, in this process) on 127.0.0.1 and a random
 * port, with tables created through the real SDK in the stack's layout (partition key `id`, string).
 * dynalite implements conditional writes, update expressions and sets as DynamoDB does; it has no
 * TTL deletion (the code never relies on it).
 */

type Dynalite = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;

/** A running dynalite with a client pointed at it. */
export interface LocalDynamo {
  endpoint: string;
  /** Fake credentials, one attempt per call (tests should not wait for SDK retries). */
  client: DynamoDBClient;
  /** Creates a table like the stack's (`id` string key); returns its name. */
  createTable(name?: string): Promise<string>;
  /** Deletes a table. */
  deleteTable(name: string): Promise<void>;
  close(): Promise<void>;
}

let tables = 0;

/** Creates a table in the stack's layout (`id` string key, on demand) and waits until it is ACTIVE; returns its name. */
export async function createStateTable(client: DynamoDBClient, name: string): Promise<string> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < 50; i += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return name;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`dynalite table ${name} did not become ACTIVE`);
}

/** Starts dynalite on 127.0.0.1 and a random free port. */
export async function startDynalite(): Promise<LocalDynamo> {
  const dynalite = require('dynalite') as Dynalite;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => keepIdleConnections(server).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'DYNALITE', secretAccessKey: 'DYNALITE' },
  });
  return {
    endpoint,
    client,
    createTable: (name = `state-${process.pid}-${(tables += 1)}`) => createStateTable(client, name),
    deleteTable: async (name) => {
      await client.send(new DeleteTableCommand({ TableName: name }));
    },
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
