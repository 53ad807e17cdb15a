// A client of the OCI distribution API over Node's fetch: the /v2/ ping, Basic auth and the
// Bearer token challenge (realm/service/scope, as Docker Hub and GHCR use it), manifests by tag
// or digest, and blobs as byte streams. Tokens are kept per scope for the client's lifetime.
import { createHash } from 'node:crypto';
import { EngineError } from '../errors';
import { parseChallenge, type AuthChallenge } from './challenge';
import { findCredentials, type Credentials } from './credentials';
import { MANIFEST_ACCEPT } from './media-types';
import { apiHost } from './reference';
import { insecureRegistries, schemeFor } from './transport';

export interface RegistryClientOptions {
  env?: NodeJS.ProcessEnv;
  /** Registries besides loopback that may use plain HTTP. */
  insecure?: string[];
  credentials?: Credentials;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export interface FetchedManifest {
  bytes: Buffer;
  digest: string;
  mediaType: string;
}

export class RegistryClient {
  readonly base: string;
  private readonly creds: Credentials | undefined;
  private readonly doFetch: typeof fetch;
  private readonly tokens = new Map<string, string>();
  private basic = false;

  constructor(
    readonly registry: string,
    private readonly opts: RegistryClientOptions = {},
  ) {
    const env = opts.env ?? process.env;
    this.base = `${schemeFor(registry, opts.insecure ?? insecureRegistries(env))}://${apiHost(registry)}`;
    this.creds = opts.credentials ?? findCredentials(registry, env);
    this.doFetch = opts.fetch ?? fetch;
  }

  /** GET /v2/: true when the registry answers (with or without asking for credentials). */
  async ping(): Promise<boolean> {
    const res = await this.raw(`${this.base}/v2/`, {});
    await res.body?.cancel();
    return res.ok || res.status === 401;
  }

  async manifest(repository: string, reference: string): Promise<FetchedManifest> {
    const res = await this.request(repository, `/v2/${repository}/manifests/${reference}`, { accept: MANIFEST_ACCEPT });
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new EngineError(`the registry sent a manifest whose digest is ${digest}, not the ${reference} asked for`);
    }
    let mediaType = (res.headers.get('content-type') ?? '').split(';')[0].trim();
    try {
      const parsed = JSON.parse(bytes.toString('utf8')) as { mediaType?: string };
      if (parsed.mediaType) mediaType = parsed.mediaType;
    } catch {
      throw new EngineError(`the manifest of ${repository}:${reference} is not JSON`);
    }
    return { bytes, digest, mediaType };
  }

  /** The blob's bytes as they arrive; the caller verifies the digest. */
  async blob(repository: string, digest: string): Promise<AsyncIterable<Uint8Array>> {
    const res = await this.request(repository, `/v2/${repository}/blobs/${digest}`, {});
    if (!res.body) throw new EngineError(`the registry sent no body for blob ${digest}`);
    return res.body as unknown as AsyncIterable<Uint8Array>;
  }

  private async raw(url: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await this.doFetch(url, { headers, signal: this.opts.signal, redirect: 'follow' });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw new EngineError('the pull was cancelled');
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new EngineError(`cannot reach ${this.registry} (${url}): ${cause?.code ?? cause?.message ?? (err as Error).message}`, [], this.base.startsWith('https') ? 'a registry without TLS must be on loopback or listed in SPECTRUM_INSECURE_REGISTRIES' : undefined);
    }
  }

  private authHeader(scope: string): Record<string, string> {
    const token = this.tokens.get(scope);
    if (token) return { authorization: `Bearer ${token}` };
    if (this.basic && this.creds) return { authorization: basicHeader(this.creds) };
    return {};
  }

  /** One GET with the auth dance: on 401, answer the challenge once and retry. */
  private async request(repository: string, urlPath: string, headers: Record<string, string>): Promise<Response> {
    const scope = `repository:${repository}:pull`;
    const url = `${this.base}${urlPath}`;
    let res = await this.raw(url, { ...headers, ...this.authHeader(scope) });
    if (res.status === 401) {
      const challenge = parseChallenge(res.headers.get('www-authenticate'));
      await res.body?.cancel();
      await this.answer(challenge, scope);
      res = await this.raw(url, { ...headers, ...this.authHeader(scope) });
    }
    if (!res.ok) {
      const text = (await res.text().catch(() => '')).slice(0, 300);
      const what = res.status === 404 ? 'not found' : res.status === 401 || res.status === 403 ? 'access denied' : `HTTP ${res.status}`;
      throw new EngineError(`${this.registry}/${repository}: ${what} (${urlPath})${text ? `: ${text.trim()}` : ''}`, [], res.status === 401 || res.status === 403 ? 'log in with `docker login` or `skopeo login`, or set REGISTRY_AUTH_FILE' : undefined);
    }
    return res;
  }

  private async answer(challenge: AuthChallenge | undefined, scope: string): Promise<void> {
    if (challenge?.scheme === 'basic') {
      if (!this.creds) throw new EngineError(`${this.registry} asks for a user name and password and none is configured`, [], 'log in with `docker login` or `skopeo login`, or set REGISTRY_AUTH_FILE');
      this.basic = true;
      return;
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) {
      throw new EngineError(`${this.registry} refused the request with an authentication challenge this client does not know`);
    }
    const realm = new URL(challenge.params.realm);
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && this.base.startsWith('http:'))) {
      throw new EngineError(`${this.registry} sends its token requests to ${realm.origin} over plain HTTP; refused`);
    }
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', challenge.params.scope ?? scope);
    const res = await this.raw(realm.toString(), this.creds ? { authorization: basicHeader(this.creds) } : {});
    if (!res.ok) {
      await res.body?.cancel();
      throw new EngineError(`${this.registry}: the token service ${realm.origin} answered HTTP ${res.status}`, [], res.status === 401 ? 'check the credentials for this registry' : undefined);
    }
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new EngineError(`${this.registry}: the token service sent no token`);
    this.tokens.set(scope, token);
  }
}

function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}
