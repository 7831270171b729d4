/**
 * The parts of splunk-sdk 2.0.2 this tool uses. The package is plain JavaScript without type
 * declarations; these shapes were read from its sources (node_modules/splunk-sdk/lib: http.js,
 * context.js, service.js, log.js). `loadSdk()` in sdk.ts is the one place they are asserted.
 */

/** The unified response `Http._buildResponse` builds; the SDK rejects with it when status >= 400. */
export interface SdkResponse {
  response: { headers: Record<string, unknown>; statusCode: number };
  status: number;
  data: unknown;
  error: unknown;
}

/** What `Http.request` hands to `makeRequest` (lib/http.js `request`). */
export interface SdkRequestMessage {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeout?: number;
}

/** An `Http` instance as `Service` uses it. */
export interface SdkHttp {
  _buildResponse(error: unknown, response: SdkResponse['response'], data: string): SdkResponse;
}

/** The methods a subclass passed to `Http.extend` provides (lib/http.js: "override makeRequest and parseJson"). */
export interface SdkHttpOverrides {
  makeRequest(this: SdkHttp, url: string, message: SdkRequestMessage): Promise<SdkResponse>;
  parseJson(this: SdkHttp, json: string): unknown;
}

export interface SdkHttpClass {
  extend(overrides: SdkHttpOverrides): new () => SdkHttp;
}

export interface SdkEntity {
  name: string;
  properties(): Record<string, unknown>;
  fetch(options?: Record<string, unknown>): Promise<SdkEntity>;
  update(props: Record<string, unknown>): Promise<SdkEntity>;
  enable(): Promise<SdkEntity>;
}

export interface SdkNamespace {
  owner: string;
  app: string;
  sharing: string;
}

export interface SdkService {
  version: string;
  instanceType: string;
  /** Set by `login()` (lib/context.js); a secret. */
  sessionKey?: string;
  login(): Promise<unknown>;
  getInfo(): Promise<unknown>;
  /** `Context.get`: GET <path> (absolute paths are used as given); resolves with the unified response. */
  get(path: string, params: Record<string, unknown>): Promise<SdkResponse>;
  apps(): { create(params: Record<string, unknown>): Promise<SdkEntity> };
  oneshotSearch(query: string, params: Record<string, unknown>, namespace?: SdkNamespace): Promise<unknown>;
}

/** `require('splunk-sdk/lib/service')`: the Service class, with the entity classes as statics. */
export interface SdkServiceModule {
  new (http: SdkHttp, params: Record<string, unknown>): SdkService;
  SavedSearch: new (svc: SdkService, name: string, namespace: SdkNamespace) => SdkEntity;
  Application: new (svc: SdkService, name: string) => SdkEntity;
}

export interface SdkLogModule {
  Logger: { setLevel(level: string): void };
}
