import { describe, expect, it } from 'vitest';
import { firstTasks, tasksThatFit } from '../../../src/ui/lib/first-tasks';
import { uniqueExperimentName } from '../../../src/ui/lib/unique-name';
import { timeLeftText } from '../../../src/ui/lib/format';
import type { TaskRow } from '../../../src/worker/protocol';

const row = (task: string, pos: number, kept = true): TaskRow => ({ task, trainPositives: pos, testPositives: Math.round(pos / 4), trainNegatives: 100, testNegatives: 25, kept });

describe('firstTasks', () => {
  it('takes the most frequent kept tasks, in the overview order', () => {
    const rows = [row('a-rare', 5), row('b-big', 300), row('c-excluded', 900, false), row('d', 40), row('e-bigger', 500), row('f', 41), row('g', 6)];
    expect(firstTasks(rows, 4)).toEqual(['b-big', 'd', 'e-bigger', 'f']);
  });
  it('takes every kept task when there are few', () => {
    expect(firstTasks([row('x', 1), row('y', 2, false)], 4)).toEqual(['x']);
  });
});

describe('tasksThatFit', () => {
  it('keeps chosen tasks the data set has, and gives way to all of its tasks when one is missing', () => {
    expect(tasksThatFit(['a', 'b'], ['a', 'b', 'c'])).toEqual(['a', 'b']);
    expect(tasksThatFit(['works-with::mail', 'a'], ['a', 'b'])).toBeNull();
    expect(tasksThatFit(null, ['a'])).toBeNull();
  });
});

describe('uniqueExperimentName', () => {
  const existing = [
    { name: 'crisislex · bert', settingsKey: 'A' },
    { name: 'crisislex · bert (2)', settingsKey: 'B' },
  ];
  it('keeps a free name', () => {
    expect(uniqueExperimentName('demo · bert', 'A', existing)).toBe('demo · bert');
  });
  it('suffixes a clash with the first free number', () => {
    expect(uniqueExperimentName('crisislex · bert', 'C', existing)).toBe('crisislex · bert (3)');
  });
  it('reuses the name of an experiment with the same settings, so planning finds it again', () => {
    expect(uniqueExperimentName('crisislex · bert', 'B', existing)).toBe('crisislex · bert (2)');
    expect(uniqueExperimentName('crisislex · bert', 'A', existing)).toBe('crisislex · bert');
  });
});

describe('timeLeftText', () => {
  it('never reads "0 ms left" while jobs remain', () => {
    expect(timeLeftText(0, 40, 46)).toBe('6 jobs left, time not measured yet');
    expect(timeLeftText(null, 45, 46)).toBe('1 job left, time not measured yet');
    expect(timeLeftText(125_000, 10, 46)).toBe('about 2 min 5 s left (36 jobs left)');
    expect(timeLeftText(0, 46, 46)).toBe('');
  });
});
