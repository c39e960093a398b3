/**
 * Turns a Debian `Description-en` value into one line of plain text for the demo data set.
 *
 * Format (Debian Policy 5.6.13): the first line is the short synopsis; the following lines are the
 * extended description, where a line holding only "." separates paragraphs and lines starting with
 * an extra space are shown verbatim (lists, ASCII art). We keep the words of all of them and
 * collapse whitespace, because the classifier sees a flat token sequence anyway.
 */
export interface CleanDescription {
  /** The synopsis, e.g. "Real-time strategy game of ancient warfare". */
  short: string;
  /** The extended description as one line (may be empty). */
  long: string;
  /** The first paragraph of the extended description, lower-cased: packages of one family
   *  (foo-gtk, foo-qt, …) share it, so the split keeps them on one side. */
  firstParagraph: string;
  /** short + long: the document text. */
  text: string;
}

export function cleanDescription(descriptionEn: string): CleanDescription {
  const lines = descriptionEn.split('\n');
  const short = collapse(lines[0]);
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const raw of lines.slice(1)) {
    if (raw.trim() === '.') {
      if (current.length) paragraphs.push(collapse(current.join(' ')));
      current = [];
    } else current.push(raw);
  }
  if (current.length) paragraphs.push(collapse(current.join(' ')));
  const kept = paragraphs.filter((p) => p.length > 0);
  const long = kept.join(' ');
  // The synopsis rarely ends with a full stop; adding one keeps it a sentence of its own so that
  // sentence splitting (pretraining corpus) and readers do not run it into the first paragraph.
  const head = short === '' || /[.!?:;]$/.test(short) ? short : short + '.';
  const text = collapse(long ? `${head} ${long}` : head);
  return { short, long, firstParagraph: (kept[0] ?? '').toLowerCase(), text };
}

export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function countWords(s: string): number {
  const t = s.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

/** Keeps the first `maxWords` words. The text is cut on a word boundary: BERT sees at most 128
 *  tokens of it, and the cap keeps the committed snapshot small. */
export function truncateWords(s: string, maxWords: number): string {
  const words = s.split(' ');
  return words.length <= maxWords ? s : words.slice(0, maxWords).join(' ');
}
