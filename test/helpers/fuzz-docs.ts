// How many documents a fuzz test runs: FUZZ_DOCS narrows a local run, but only to a positive
// whole number. Zero, a typo or an empty value would make a fuzz test pass after no documents at
// all, so they stop the test with an error instead.
export const FUZZ_DEFAULT_DOCS = 10_000;

export function fuzzDocs(raw: string | undefined = process.env.FUZZ_DOCS): number {
  if (raw === undefined) return FUZZ_DEFAULT_DOCS;
  if (!/^\s*[1-9]\d*\s*$/.test(raw)) throw new Error(`FUZZ_DOCS must be a positive whole number of documents, not ${JSON.stringify(raw)}`);
  return Number(raw);
}
