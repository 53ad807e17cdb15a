// Firecracker configs are judged by ajv against the schema generated from Firecracker's own API
// description (scripts/firecracker-schema.mjs), compiled once on first use.
import Ajv, { type ValidateFunction } from 'ajv';
import firecrackerSchema from '../../../schemas/firecracker.schema.json';

let compiled: ValidateFunction | undefined;

export function firecrackerValidator(): ValidateFunction {
  // strict: false lets our editor keywords (x-path, x-renamedTo, enumDescriptions) through.
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(firecrackerSchema);
  return compiled;
}
