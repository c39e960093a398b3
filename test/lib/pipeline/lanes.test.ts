import { describe, expect, it } from 'vitest';
import { checkLanes, defaultBrowserLanes, defaultLanes, LANE_MEMORY_BYTES, parseLanes } from '../../../src/lib/pipeline/lanes';
import { OptionValueError } from '../../../src/lib/pipeline/spec-text';

describe('lanes', () => {
  it('defaults to one lane per core, capped by memory, at least one', () => {
    expect(defaultLanes(8, 64 * 1024 ** 3)).toBe(8);
    expect(defaultLanes(8, 3 * LANE_MEMORY_BYTES)).toBe(3);
    expect(defaultLanes(4, 0.5 * LANE_MEMORY_BYTES)).toBe(1);
  });

  it('in the browser: a lane per core on wasm and cpu, one on a GPU backend', () => {
    expect(defaultBrowserLanes('wasm', 4, 8)).toBe(4);
    expect(defaultBrowserLanes('cpu', 2)).toBe(2);
    // Without deviceMemory 4 GiB are assumed: two lanes of 1.5 GiB.
    expect(defaultBrowserLanes('wasm', 16)).toBe(2);
    expect(defaultBrowserLanes('webgpu', 16, 32)).toBe(1);
    expect(defaultBrowserLanes('webgl', 16, 32)).toBe(1);
    expect(defaultBrowserLanes('wasm', 0, 8)).toBe(1);
  });

  it('refuses what is not an integer ≥ 1, and warns above the cores', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => checkLanes(bad)).toThrow(OptionValueError);
    expect(checkLanes(3)).toBe(3);
    const warnings: string[] = [];
    expect(parseLanes('4', 2, (l) => warnings.push(l))).toBe(4);
    expect(warnings[0]).toMatch(/more than the 2 cores/);
    expect(() => parseLanes('two', 2, () => undefined)).toThrow(/must be an integer ≥ 1, got "two"/);
  });
});
