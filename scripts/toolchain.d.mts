// Types for scripts/toolchain.mjs, so the TypeScript e2e harness can use it under `strict`.
export declare const CODE_SERVER_VERSION: string;
export declare const NODE24_VERSION: string;
export declare const CHROMIUM: string;
export declare const BASE_USER_SETTINGS: Record<string, unknown>;
export declare function cacheRoot(): string;
export declare function toolchainDir(): string;
export declare function node24Bin(): string;
export declare function codeServerEntry(): string;
export declare function freePort(): Promise<number>;

export interface RunDirs {
  base: string;
  home: string;
  config: string;
  tmp: string;
  state: string;
  data: string;
  extensions: string;
}
export declare function makeRunDirs(label?: string): RunDirs;
export declare function installVsix(dirs: RunDirs, vsix: string, env?: Record<string, string>): string;

export interface CodeServerOptions {
  workspace?: string;
  trust?: boolean;
  vsix?: string;
  settings?: Record<string, unknown>;
  smokeTestDriver?: boolean;
  env?: Record<string, string>;
  label?: string;
  logFile?: string;
  port?: number;
  keep?: boolean;
}
export interface CodeServer {
  origin: string;
  port: number;
  pid: number;
  dirs: RunDirs;
  logFile: string;
  exited: Promise<void>;
  folderUrl(folder: string): string;
  stop(): Promise<void>;
}
export declare function startCodeServer(options?: CodeServerOptions): Promise<CodeServer>;

export interface E2eTier {
  vsix: string;
  env: {
    SPECTRUM_E2E_ORIGIN: string;
    SPECTRUM_E2E_WORKSPACE: string;
    SPECTRUM_E2E_STATE_HOME: string;
    SPECTRUM_E2E_LOG: string;
    SPECTRUM_E2E_TMPDIR: string;
  };
  stop(): Promise<void>;
}
export declare function startE2eTier(): Promise<E2eTier>;
