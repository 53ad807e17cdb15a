// package.json's `languageModelTools` entries, made from the one tool table: a unit test keeps
// the manifest equal to this, so the schemas VS Code shows a model never drift from the ones
// the tools enforce.
import { z } from 'zod';
import { TOOL_INFO, TOOL_SCHEMAS, type ToolName } from './tools';

export const LM_TOOL_PREFIX = 'isolationSpectrum_';

export function languageModelToolContributions(): Record<string, unknown>[] {
  return (Object.keys(TOOL_SCHEMAS) as ToolName[]).map((name) => {
    const { $schema: _drop, ...inputSchema } = z.toJSONSchema(TOOL_SCHEMAS[name]) as Record<string, unknown>;
    return {
      name: `${LM_TOOL_PREFIX}${name}`,
      displayName: TOOL_INFO[name].title,
      toolReferenceName: `spectrum_${name}`,
      canBeReferencedInPrompt: true,
      icon: '$(vm)',
      tags: ['sandbox', 'isolation-spectrum'],
      userDescription: TOOL_INFO[name].description,
      modelDescription: TOOL_INFO[name].description,
      inputSchema,
    };
  });
}
