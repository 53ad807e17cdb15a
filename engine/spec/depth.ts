// The YAML and JSON parsers recurse once per nesting level and overflow the stack on a few
// thousand levels. No config nests anywhere near this limit, so deeper text is refused with one
// diagnostic before any parser sees it.
export const NESTING_LIMIT = 100;
/** Block YAML nests by indentation: this many leading spaces stand for too many levels. */
const INDENT_LIMIT = 4 * NESTING_LIMIT;

/** Offset where brackets (outside strings and comments) or indentation go too deep, if anywhere. */
export function excessiveNesting(text: string, yaml: boolean): number | undefined {
  let depth = 0;
  let quote = '';
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart && (c === ' ' || c === '-')) {
      if (++indent > INDENT_LIMIT && yaml) return i;
      continue;
    }
    lineStart = false;
    if (c === '"' || (yaml && c === "'")) quote = c;
    else if (c === '#' && yaml && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      i = (nl < 0 ? text.length : nl) - 1;
    } else if (c === '/' && !yaml && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const end = text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2) + 1;
      i = (end <= 0 ? text.length : end) - 1;
    } else if (c === '[' || c === '{') {
      if (++depth > NESTING_LIMIT) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}
