// Errors the engine raises on purpose (spec problems, refusals, launch failures). The CLI maps
// them to exit code 125 and prints the fix; anything else is a bug and shows its stack.
import type { SpecDiagnostic } from './spec/types';

export class EngineError extends Error {
  constructor(
    message: string,
    readonly diagnostics: SpecDiagnostic[] = [],
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
