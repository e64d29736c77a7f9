// Regex alternations built as prefix tries, which irregexp matches faster than a flat
// list of words; shared by the topic keywords and the identifier regex.

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex alternation of `words` sharing common prefixes (faster for irregexp). */
export function trie(words: readonly string[]): string {
  return trieAlts(words).join('|');
}

function trieAlts(words: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const w of words) {
    const head = w[0]!;
    const rest = groups.get(head) ?? [];
    rest.push(w.slice(1));
    groups.set(head, rest);
  }
  const alts: string[] = [];
  for (const [head, rests] of groups) {
    const tails = rests.filter((r) => r.length > 0);
    const optional = tails.length < rests.length;
    const h = escapeRegex(head);
    if (tails.length === 0) {
      alts.push(h);
      continue;
    }
    const sub = trieAlts(tails);
    const single = sub.length === 1 && (sub[0]!.length === 1 || !optional);
    if (single && !optional) alts.push(h + sub[0]!);
    else if (single) alts.push(`${h}${sub[0]!.length === 1 ? sub[0]! : `(?:${sub[0]!})`}?`);
    else alts.push(`${h}(?:${sub.join('|')})${optional ? '?' : ''}`);
  }
  return alts;
}
