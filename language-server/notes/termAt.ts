// Finds the concept phrase under the cursor in plain text: the longest run of up to six words
// around the cursor (joined by spaces or hyphens) that names a concept the caller accepts.

export interface TermMatch<T> {
  start: number;
  end: number;
  phrase: string;
  value: T;
}

// A word may hold slashes, so "/dev/kvm" is one term; a second pass splits at them, so each side of
// "Docker/runc" or "AWS Lambda/Fargate" is found on its own.
const WORD = /\/?[A-Za-z0-9][A-Za-z0-9_./']*/g;
const PART = /[A-Za-z0-9][A-Za-z0-9_.']*/g;
const MAX_WORDS = 6;
const MAX_LINE = 2000;

export function termAt<T>(line: string, character: number, lookup: (phrase: string) => T | undefined): TermMatch<T> | undefined {
  if (line.length > MAX_LINE) {
    const from = Math.max(0, character - 200);
    const m = termAt(line.slice(from, character + 200), character - from, lookup);
    return m && { ...m, start: m.start + from, end: m.end + from };
  }
  const whole = wordsAround(line, character, WORD);
  if (!whole) return undefined;
  const found = longestTerm(line, whole.words, whole.at, lookup);
  if (found) return found;
  const [start, end] = whole.words[whole.at];
  if (!line.slice(start, end).includes('/')) return undefined;
  const parts = wordsAround(line, character, PART);
  return parts && longestTerm(line, parts.words, parts.at, lookup);
}

function wordsAround(line: string, character: number, re: RegExp): { words: Array<[number, number]>; at: number } | undefined {
  const words: Array<[number, number]> = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  let at = -1;
  while ((m = re.exec(line))) {
    let end = m.index + m[0].length;
    while (end > m.index + 1 && /[./']/.test(line[end - 1])) end--;
    if (m.index <= character && character <= end) at = words.length;
    words.push([m.index, end]);
    if (m.index > character + 200) break;
  }
  return at < 0 ? undefined : { words, at };
}

/** The longest run of words, joined by spaces or hyphens, that contains word `at` and names a concept. */
function longestTerm<T>(line: string, words: Array<[number, number]>, at: number, lookup: (phrase: string) => T | undefined): TermMatch<T> | undefined {
  for (let n = Math.min(MAX_WORDS, words.length); n >= 1; n--) {
    for (let s = Math.max(0, at - n + 1); s <= at && s + n <= words.length; s++) {
      let joined = true;
      for (let k = s; k < s + n - 1 && joined; k++) {
        joined = /^[ \t-]{1,3}$/.test(line.slice(words[k][1], words[k + 1][0]));
      }
      if (!joined) continue;
      const start = words[s][0];
      const end = words[s + n - 1][1];
      const phrase = line.slice(start, end);
      const value = lookup(phrase);
      if (value !== undefined) return { start, end, phrase, value };
    }
  }
  return undefined;
}
