import { describe, expect, it } from 'vitest';
import { runCopies, runJson, wholeMachineOf } from '../../../src/cli/bench/whole-machine';

describe('whole-machine bench', () => {
  it('sums each side and sets ours against the best single PyTorch process and its copies', () => {
    const w = wholeMachineOf([40, 38], [{ setting: '1', examples_per_s: 150 }, { setting: '2', examples_per_s: 60 }], [120, 110]);
    expect(w.copies).toBe(2);
    expect(w.ours.examples_per_s).toBe(78);
    expect(w.torch_best_thread_setting).toEqual({ setting: '1', examples_per_s: 150 });
    expect(w.torch_copies.examples_per_s).toBe(230);
    expect(w.ratio_vs_best_thread_setting).toBe(0.52);
    expect(w.ratio_vs_torch_copies).toBe(0.339);
    // The best setting is whichever was fastest, not the first.
    expect(wholeMachineOf([10], [{ setting: '1', examples_per_s: 5 }, { setting: '1x2', examples_per_s: 20 }], [5]).torch_best_thread_setting.setting).toBe('1x2');
  });

  it('refuses to make a figure from nothing', () => {
    expect(() => wholeMachineOf([], [{ setting: '1', examples_per_s: 1 }], [1])).toThrow(/no copies/);
    expect(() => wholeMachineOf([1], [], [1])).toThrow(/no PyTorch thread setting/);
  });

  it('runs copies at once and parses the JSON each prints after any banner', async () => {
    // Each copy notes when it started, then waits 2 s: run one after the other, the second would
    // start at least 2 s after the first.
    const script = "const start = Date.now(); setTimeout(() => { console.log('> banner'); console.log(JSON.stringify({ pid: process.pid, start })); }, 2000)";
    const runs = await runCopies<{ pid: number; start: number }>(2, process.execPath, ['-e', script]);
    expect(runs).toHaveLength(2);
    expect(runs[0].output.pid).not.toBe(runs[1].output.pid);
    expect(Math.abs(runs[0].output.start - runs[1].output.start)).toBeLessThan(2000);
    expect(runs.every((r) => r.wallMs >= 2000)).toBe(true);
  });

  it('fails with the command, exit code and stderr, or when no JSON comes', async () => {
    await expect(runJson(process.execPath, ['-e', "console.error('boom'); process.exit(3)"])).rejects.toThrow(/exit 3.*boom/);
    await expect(runJson(process.execPath, ['-e', "console.log('no json here')"])).rejects.toThrow(/printed no JSON/);
  });
});
