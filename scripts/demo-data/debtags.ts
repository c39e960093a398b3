/**
 * Debtags: the `Tag:` field of Debian's Packages list, e.g.
 *   `game::strategy, interface::x11, role::program, works-with::{audio,video}`
 * Tags are `facet::value`; values may be hierarchical (`works-with::image:raster`), and the field
 * uses shell-like brace expansion for shared prefixes (`works-with::{audio,video}`), which must be
 * expanded or those packages silently lose labels.
 */
export class TagParseError extends Error {}

/** Parses a Tag field value (continuation lines included) into its sorted, unique tags. */
export function parseTagField(value: string): string[] {
  const tags = new Set<string>();
  for (const item of splitTopLevel(value)) {
    for (const tag of expandBraces(item)) {
      if (!/^[A-Za-z0-9][\w.+-]*::\S+$/.test(tag)) {
        throw new TagParseError(`tag "${tag}" in "${value.replace(/\s+/g, ' ')}" is not of the form facet::value`);
      }
      tags.add(tag);
    }
  }
  return [...tags].sort();
}

/** A package carries `label` if it has that tag or a more specific one below it
 *  (`works-with::image:raster` counts for `works-with::image`). */
export function hasLabel(tags: readonly string[], label: string): boolean {
  const child = label + ':';
  return tags.some((t) => t === label || t.startsWith(child));
}

/** Splits on commas that are not inside braces. Empty items (a trailing comma) are dropped from a
 *  field, but kept inside braces, where `{,:raster}` means "nothing or :raster" as in the shell. */
function splitTopLevel(value: string, keepEmpty = false): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth < 0) throw new TagParseError(`unbalanced "}" at character ${i + 1} of tag field "${value}"`);
    } else if (c === ',' && depth === 0) {
      items.push(value.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw new TagParseError(`unclosed "{" in tag field "${value}"`);
  items.push(value.slice(start));
  const trimmed = items.map((s) => s.replace(/\s+/g, ''));
  return keepEmpty ? trimmed : trimmed.filter((s) => s.length > 0);
}

/** `a::{b,c}d` → [`a::bd`, `a::cd`]; recursive so nested or repeated groups also expand. */
function expandBraces(item: string): string[] {
  const open = item.indexOf('{');
  if (open < 0) return [item];
  let depth = 0;
  let close = -1;
  for (let i = open; i < item.length; i++) {
    if (item[i] === '{') depth++;
    else if (item[i] === '}' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) throw new TagParseError(`unclosed "{" in tag "${item}"`);
  const prefix = item.slice(0, open);
  const suffix = item.slice(close + 1);
  const inner = item.slice(open + 1, close);
  if (inner.trim() === '') throw new TagParseError(`empty braces in tag "${item}"`);
  return splitTopLevel(inner, true).flatMap((alt) => expandBraces(prefix + alt + suffix));
}
