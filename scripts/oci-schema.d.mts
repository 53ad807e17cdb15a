// Types for scripts/oci-schema.mjs, so tests can check the committed schema is current.
export declare function generateOciSchema(files: Record<string, unknown>, overlay: Record<string, unknown>): { schema: Record<string, unknown>; misses: string[] };
export declare function ociSchemaText(): { text: string; misses: string[] };
