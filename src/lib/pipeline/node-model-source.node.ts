/** Where a Node lane (worker thread or queue worker) reads base models: a folder or the store. */
import { folderSource } from '../bert/file-source.node.js';
import { storedModelSource } from './model-source';
import type { PipelineEnv } from './types';

export function nodeLaneModelSource(who: string): PipelineEnv['modelSource'] {
  return async (ref, s) => {
    if (ref.kind === 'folder') return folderSource(ref.path);
    if (ref.kind === 'stored') return storedModelSource(s, ref.id);
    throw new Error(`${who} reads base models from folders or the store, not ${ref.kind} models`);
  };
}
