/**
 * A Debian `Description-en` value as pretraining lines: the synopsis, then the extended description
 * split into sentences. Paragraph separators (" ." lines) end a paragraph; list items (lines starting
 * with "*", "-", "+" or "o " — maintainers write them with one leading space as often as with the
 * two that Debian Policy reserves for verbatim text) and verbatim lines start a new segment, so a
 * 300-item list does not become one 5,000-word "sentence".
 */
import { normalizeLine } from './corpus-text';
import { splitSentences } from './sentences';

const LIST_ITEM = /^\s*([*+\-•o])\s/;

export function descriptionLines(descriptionEn: string): string[] {
  const [first, ...rest] = descriptionEn.split('\n');
  const out: string[] = [];
  // Synopses can hold two sentences ("Plotting program. Doc-package"); split them too, so that the
  // test-split exclusion matches at sentence level.
  out.push(...splitSentences(normalizeLine(first)));
  let segment: string[] = [];
  const flush = () => {
    const text = normalizeLine(segment.join(' '));
    if (text) out.push(...splitSentences(text));
    segment = [];
  };
  for (const line of rest) {
    if (line.trim() === '.') flush();
    else if (LIST_ITEM.test(line) || line.startsWith(' ')) {
      // `line` has had deb822's one leading space removed: a remaining space means verbatim.
      flush();
      segment.push(line.replace(LIST_ITEM, ''));
    } else segment.push(line);
  }
  flush();
  return out;
}
