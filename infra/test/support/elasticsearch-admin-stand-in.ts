import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in answered. */
export interface AdminRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

/** A loopback server speaking the Elasticsearch admin APIs the setup uses. */
export interface ElasticsearchAdminStandIn {
  readonly url: string;
  readonly requests: AdminRequest[];
  /** Stored desired state by path (`_security/role/x`, `_ilm/policy/y`, ...). */
  readonly state: Map<string, unknown>;
  close(): Promise<void>;
}

/** Options of {@link startElasticsearchAdminStandIn}. */
export interface AdminStandInOptions {
  /** `elastic`'s password; other credentials are answered 401. */
  readonly elasticPassword: string;
  /** Health checks answered 503 before the cluster is "up". Default 0. */
  readonly unavailableHealthChecks?: number;
  /** Answer this path with this status (fault injection). */
  readonly failPath?: { readonly path: string; readonly status: number };
}

/**
 * Starts the stand-in on 127.0.0.1:0. It keeps the ordering rules of Elasticsearch that the
 * setup must respect: an SLM policy names an existing snapshot repository, an index template
 * names an existing ILM policy (not enforced by Elasticsearch itself, but a template without its
 * policy would leave data streams without retention), and a user's roles exist.
 */
export async function startElasticsearchAdminStandIn(options: AdminStandInOptions): Promise<ElasticsearchAdminStandIn> {
  const requests: AdminRequest[] = [];
  const state = new Map<string, unknown>();
  let unavailable = options.unavailableHealthChecks ?? 0;
  const expected = `Basic ${Buffer.from(`elastic:${options.elasticPassword}`).toString('base64')}`;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = (request.url ?? '/').slice(1);
      const body = text === '' ? undefined : JSON.parse(text);
      requests.push({ method: request.method ?? '', path, body, authorization: request.headers.authorization });
      const answer = (status: number, payload: unknown) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      if (request.headers.authorization !== expected) return answer(401, { error: 'security_exception' });
      if (path.startsWith('_cluster/health')) {
        if (unavailable-- > 0) return answer(503, { status: 'red' });
        return answer(200, { status: 'green' });
      }
      if (options.failPath?.path === path) return answer(options.failPath.status, { error: 'injected' });
      const slm = /^_slm\/policy\//.test(path) ? (body as { repository: string }).repository : undefined;
      if (slm !== undefined && !state.has(`_snapshot/${slm}`)) return answer(400, { error: `no repository ${slm}` });
      const lifecycle = (body as { template?: { settings?: Record<string, string> } } | undefined)?.template
        ?.settings?.['index.lifecycle.name'];
      if (path.startsWith('_index_template/') && lifecycle !== undefined && !state.has(`_ilm/policy/${lifecycle}`))
        return answer(400, { error: `no policy ${lifecycle}` });
      if (/^_security\/user\/[^/]+$/.test(path)) {
        const missing = ((body as { roles: string[] }).roles ?? []).filter(
          (role) => !state.has(`_security/role/${role}`),
        );
        if (missing.length > 0) return answer(400, { error: `unknown roles ${missing}` });
      }
      state.set(path, body);
      answer(200, { acknowledged: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    state,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
