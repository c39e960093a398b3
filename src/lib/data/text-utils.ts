/** Small wording helpers for import notes and messages. */

export function plural(n: number, word: string, many = word + 's'): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

/** The last path segment of a file name given as `folder/file.ext`. */
export function baseName(name: string): string {
  const i = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  return i < 0 ? name : name.slice(i + 1);
}

/** The folder part of `folder/file.ext`, or undefined for a bare name. */
export function folderName(name: string): string | undefined {
  const parts = name.split(/[/\\]/);
  return parts.length > 1 ? parts[parts.length - 2] : undefined;
}

/** `Irrelevant (4,326), News (2,058), …` from the largest count down, at most `max` entries. */
export function countList(counts: Map<string, number>, max = 12): string {
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = sorted.slice(0, max).map(([k, n]) => `${k} (${n.toLocaleString('en-US')})`);
  if (sorted.length > max) shown.push(`and ${sorted.length - max} more`);
  return shown.join(', ');
}
