// Types for scripts/agent-build.mjs, for the TypeScript tests.
export declare const AGENT_SOURCE: string;
export declare const AGENT_OUTPUT: string;
export declare function buildAgent(o?: { outdir?: string; log?: (m: string) => void }): string | undefined;
