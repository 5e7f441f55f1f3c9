import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { keepIdleConnections } from './idle-connections';

/** The part of s3rver 3's API we use (the package ships no types). */
interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  /** The listening server, set by `run()`. */
  httpServer: Server;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

/** A running local S3 server with a real SDK client pointed at it. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** The bucket created at start. */
  bucket: string;
  /** Path-style, fake credentials, one attempt (fault tests should not wait for SDK retries). */
  client: S3Client;
  /** Stops the server, destroys the client and removes the temporary directory. */
  close(): Promise<void>;
}

/**
 * Starts s3rver on 127.0.0.1 and a random port, storing objects in a fresh temporary directory.
 * An IP endpoint plus `forcePathStyle` makes the SDK use `http://127.0.0.1:port/bucket/key`.
 */
export async function startS3rver(bucket = 'audit-bucket'): Promise<LocalS3> {
  const S3rver = require('s3rver') as S3rverConstructor;
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  keepIdleConnections(server.httpServer);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    endpoint,
    bucket,
    client,
    close: async () => {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
