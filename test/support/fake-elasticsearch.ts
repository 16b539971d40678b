import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Faults the stand-in injects; combine freely, change at any time. */
export interface Faults {
  /** Answer every `_bulk` request as a whole with this status (e.g. 503, 429, 401). */
  requestStatus?: number;
  /** Per-item status: return e.g. 429 or 400 for a document, or undefined to accept it. */
  itemStatus?: (document: Record<string, unknown>, action: BulkAction) => number | undefined;
  /** Answer after this many milliseconds. */
  delayMs?: number;
  /** Never answer (the client must time out). */
  hang?: boolean;
}

/** The action line of one bulk item. */
export interface BulkAction {
  readonly op: string;
  readonly index: string;
  readonly id: string | undefined;
}

/** A loopback server speaking enough of the Elasticsearch `_bulk` API to test shipping. */
export interface FakeElasticsearch {
  readonly url: string;
  /** Stored documents per index (data stream), keyed by `_id`. */
  readonly indices: Map<string, Map<string, Record<string, unknown>>>;
  /** Documents of one index, in arrival order. */
  documents(index: string): Record<string, unknown>[];
  faults: Faults;
  /** Counts: `_bulk` requests answered, items seen, items answered 409 (replays). */
  readonly counts: { requests: number; items: number; conflicts: number; rejectedItems: number };
  /** Closes the listener and every open connection: clients now get "connection refused". */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

const DATA_STREAM = /^logs-/;

/**
 * Starts the stand-in on 127.0.0.1 (port 0 unless given). Semantics follow Elasticsearch:
 * `create` on an existing `_id` is a 409 `version_conflict_engine_exception` (so a replay is
 * deduplicated), data streams (`logs-*`) accept only `create` and require `@timestamp`.
 *
 * @param port - port to listen on (0 = any free port)
 * @returns the running server
 */
export async function startFakeElasticsearch(port = 0): Promise<FakeElasticsearch> {
  const indices = new Map<string, Map<string, Record<string, unknown>>>();
  const counts = { requests: 0, items: 0, conflicts: 0, rejectedItems: 0 };
  const sockets = new Set<Socket>();
  let server: Server;
  let boundPort = port;
  let autoId = 0;

  const fake: FakeElasticsearch = {
    url: '',
    indices,
    faults: {},
    counts,
    documents: (index) => [...(indices.get(index)?.values() ?? [])],
    down: () => closeServer(),
    up: () => listen(),
    close: () => closeServer(),
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const faults = fake.faults;
    if (faults.hang) return;
    if (faults.delayMs) await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
    response.setHeader('x-elastic-product', 'Elasticsearch');
    response.setHeader('content-type', 'application/json');
    const path = (request.url ?? '/').split('?')[0]!;
    if (!path.endsWith('/_bulk')) {
      response.end(
        JSON.stringify({
          name: 'fake',
          cluster_name: 'fake',
          version: { number: '8.19.0' },
          tagline: 'You Know, for Search',
        }),
      );
      return;
    }
    if (faults.requestStatus) {
      response.statusCode = faults.requestStatus;
      response.end(
        JSON.stringify({
          error: { type: 'injected_fault', reason: `injected ${faults.requestStatus}` },
          status: faults.requestStatus,
        }),
      );
      return;
    }
    counts.requests++;
    const defaultIndex =
      path.length > '/_bulk'.length ? decodeURIComponent(path.slice(1, -'/_bulk'.length)) : undefined;
    const lines = Buffer.concat(chunks)
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '');
    const items: unknown[] = [];
    for (let position = 0; position + 1 < lines.length; position += 2) {
      const actionLine = JSON.parse(lines[position]!) as Record<
        string,
        { _index?: string; _id?: string; op_type?: string }
      >;
      const op = Object.keys(actionLine)[0]!;
      const meta = actionLine[op]!;
      const action: BulkAction = {
        op: meta.op_type ?? op,
        index: meta._index ?? defaultIndex ?? 'unknown',
        id: meta._id,
      };
      items.push({ [op]: applyItem(action, JSON.parse(lines[position + 1]!) as Record<string, unknown>, faults) });
    }
    response.end(
      JSON.stringify({
        took: 1,
        errors: items.some((item) => (Object.values(item as object)[0] as { status: number }).status >= 300),
        items,
      }),
    );
  };

  function applyItem(action: BulkAction, document: Record<string, unknown>, faults: Faults) {
    counts.items++;
    const base = { _index: action.index, _id: action.id };
    const error = (status: number, type: string, reason: string) => {
      if (status !== 409) counts.rejectedItems++;
      return { ...base, status, error: { type, reason } };
    };
    const injected = faults.itemStatus?.(document, action);
    if (injected === 429) return error(429, 'es_rejected_execution_exception', 'rejected execution (injected)');
    if (injected !== undefined && injected >= 500) return error(injected, 'unavailable_shards_exception', 'injected');
    if (injected !== undefined) return error(injected, 'mapper_parsing_exception', 'failed to parse field (injected)');
    if (DATA_STREAM.test(action.index) && action.op !== 'create') {
      return error(
        400,
        'illegal_argument_exception',
        'only write ops with an op_type of create are allowed in data streams',
      );
    }
    if (DATA_STREAM.test(action.index) && document['@timestamp'] === undefined) {
      return error(400, 'illegal_argument_exception', 'data stream timestamp field [@timestamp] is missing');
    }
    let index = indices.get(action.index);
    if (!index) indices.set(action.index, (index = new Map()));
    const id = action.id ?? `auto-${++autoId}`;
    if (action.op === 'create' && index.has(id)) {
      counts.conflicts++;
      return error(409, 'version_conflict_engine_exception', `[${id}]: version conflict, document already exists`);
    }
    index.set(id, document);
    return { ...base, _id: id, status: 201, result: 'created' };
  }

  function listen(): Promise<void> {
    server = createServer((request, response) => {
      handle(request, response).catch(() => response.destroy());
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(boundPort, '127.0.0.1', () => {
        boundPort = (server.address() as { port: number }).port;
        (fake as { url: string }).url = `http://127.0.0.1:${boundPort}`;
        resolve();
      });
    });
  }

  function closeServer(): Promise<void> {
    return new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  }

  await listen();
  return fake;
}
