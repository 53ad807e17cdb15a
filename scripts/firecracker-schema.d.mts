// Types for scripts/firecracker-schema.mjs, so tests can check the committed schema is current.
export declare function generateFirecrackerSchema(yamlText: string, overlay: Record<string, unknown>): Record<string, unknown>;
export declare function firecrackerSchemaText(): string;
