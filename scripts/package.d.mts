// Types for scripts/package.mjs, for the TypeScript e2e harness.
export declare const TARGET: string;
export declare function vsixPath(): string;
export declare function writeNotices(): Promise<void>;
export declare function packageVsix(): Promise<string>;
export declare function ensureVsix(): Promise<string>;
