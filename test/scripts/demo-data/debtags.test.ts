import { describe, expect, it } from 'vitest';
import { hasLabel, parseTagField, TagParseError } from '../../../scripts/demo-data/debtags';

describe('parseTagField', () => {
  it('splits a plain list into sorted unique tags', () => {
    expect(parseTagField('use::editing, works-with::text, use::editing')).toEqual(['use::editing', 'works-with::text']);
  });

  it('expands brace groups', () => {
    expect(parseTagField('a::b, c::{d,e}')).toEqual(['a::b', 'c::d', 'c::e']);
    expect(parseTagField('works-with::{audio,video}, use::{playing, viewing}')).toEqual([
      'use::playing',
      'use::viewing',
      'works-with::audio',
      'works-with::video',
    ]);
  });

  it('expands groups with a suffix, several groups and nested groups', () => {
    expect(parseTagField('x::{a,b}:raster')).toEqual(['x::a:raster', 'x::b:raster']);
    expect(parseTagField('{f,g}::{1,2}')).toEqual(['f::1', 'f::2', 'g::1', 'g::2']);
    expect(parseTagField('w::image{,:raster{,:png}}')).toEqual(['w::image', 'w::image:raster', 'w::image:raster:png']);
  });

  it('reads a field that spans continuation lines (as deb822 returns it)', () => {
    expect(parseTagField('game::strategy, interface::x11,\nrole::program, use::gameplaying,\nx11::{application,\n font}')).toEqual([
      'game::strategy',
      'interface::x11',
      'role::program',
      'use::gameplaying',
      'x11::application',
      'x11::font',
    ]);
  });

  it('rejects unbalanced braces and tags without a facet', () => {
    expect(() => parseTagField('a::{b,c')).toThrow(TagParseError);
    expect(() => parseTagField('a::{b,c')).toThrow(/unclosed "\{"/);
    expect(() => parseTagField('a::b}, c::d')).toThrow(/unbalanced "\}"/);
    expect(() => parseTagField('a::b, justaword')).toThrow(/"justaword" .* not of the form facet::value/);
    expect(() => parseTagField('a::{}')).toThrow(/empty braces/);
  });
});

describe('hasLabel', () => {
  it('matches the tag itself and more specific tags below it, not siblings with the same prefix', () => {
    expect(hasLabel(['works-with::image:raster'], 'works-with::image')).toBe(true);
    expect(hasLabel(['works-with::image'], 'works-with::image')).toBe(true);
    expect(hasLabel(['works-with::images'], 'works-with::image')).toBe(false);
    expect(hasLabel(['works-with::text'], 'works-with::image')).toBe(false);
  });
});
