import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepIdleConnections } from './idle-connections';

/**
 * Tiny local HTTP servers speaking the wire protocols of the two AWS services nothing local serves,
 * for tests that run the bundled handler in another process (where aws-sdk-client-mock cannot reach):
 *
 * - SNS `Publish` in the AWS Query protocol: a form-encoded POST (`Action=Publish&TopicArn=…`),
 *   answered with `PublishResponse` XML (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html,
 *   https://docs.aws.amazon.com/sns/latest/api/CommonParameters.html);
 * - Secrets Manager `GetSecretValue` in the AWS JSON 1.1 protocol: `X-Amz-Target:
 *   secretsmanager.GetSecretValue`, answered with `{ ARN, Name, SecretString, VersionId }`
 *   (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html).
 *
 * Requests are not authenticated (any SigV4 signature is accepted).
 */

/** A running stand-in. */
export interface StandIn<Request> {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_<SERVICE>`. */
  endpoint: string;
  /** Every request received, parsed. */
  requests: Request[];
  close(): Promise<void>;
}

async function listen(handle: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => keepIdleConnections(server).listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const closer = (server: Server) => () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** Starts an SNS stand-in that accepts every `Publish`; `requests` holds each one's form parameters. */
export async function startSnsStandIn(): Promise<StandIn<Record<string, string>>> {
  const requests: Record<string, string>[] = [];
  const { server, endpoint } = await listen((_req, body, res) => {
    const params = Object.fromEntries(new URLSearchParams(body));
    requests.push(params);
    if (params.Action !== 'Publish') {
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>not served here</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  });
  return { endpoint, requests, close: closer(server) };
}

/** Starts a Secrets Manager stand-in serving `secrets` (secret id → `SecretString`); `requests` holds each JSON body. */
export async function startSecretsStandIn(secrets: Record<string, string>): Promise<StandIn<Record<string, unknown>>> {
  const requests: Record<string, unknown>[] = [];
  const { server, endpoint } = await listen((req, body, res) => {
    const input = JSON.parse(body || '{}') as { SecretId?: string };
    requests.push(input);
    const secret = input.SecretId === undefined ? undefined : secrets[input.SecretId];
    const headers = { 'content-type': 'application/x-amz-json-1.1' };
    if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue' || secret === undefined) {
      res.writeHead(400, headers);
      res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }));
      return;
    }
    res.writeHead(200, headers);
    res.end(JSON.stringify({ ARN: input.SecretId, Name: input.SecretId, SecretString: secret, VersionId: randomUUID(), VersionStages: ['AWSCURRENT'] }));
  });
  return { endpoint, requests, close: closer(server) };
}
