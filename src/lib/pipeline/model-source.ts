/**
 * Where the base model's files come from, for each kind of `ModelRef`. The browser resolves bundled
 * models under the app's URL and hub models through the Cache API; Node (the CLI) adds folders on
 * disk by passing its own resolver (`folderSource` lives in a `.node.ts` file this module cannot
 * import).
 */
import { hubSource, memorySource, urlSource, type FileSource, type HubOptions } from '../bert/file-source';
import type { Store } from '../store/store';
import { bundledModelPath, type BundledModelEntry } from './app-index';
import type { ModelSourceResolver } from './types';

export interface DefaultModelSourceOptions {
  /** Base URL of the app; bundled models are under `models/<name>/`. */
  appBase?: string;
  hub?: HubOptions;
}

/** A stored model (single-task or uploaded) as a file source: its config, weights and extra files. */
export async function storedModelSource(store: Store, id: string): Promise<FileSource> {
  const record = await store.models.get(id);
  const files = await store.models.getFiles(id);
  if (!record || !files) throw new Error(`model "${id}" is not in the store (${store.location})`);
  const map = new Map<string, Uint8Array>(Object.entries(files.files ?? {}));
  map.set('model.safetensors', files.safetensors);
  if (!map.has('config.json')) map.set('config.json', new TextEncoder().encode(JSON.stringify(record.config)));
  return memorySource(map, `stored model ${id}`);
}

export function defaultModelSource(options: DefaultModelSourceOptions = {}): ModelSourceResolver {
  return async (ref, store) => {
    switch (ref.kind) {
      case 'bundled': {
        if (!options.appBase) throw new Error(`bundled model "${ref.name}": no app base URL to load it from`);
        // models/index.json says where each bundled model lives; `<name>/` when it does not list it.
        const res = await fetch(new URL('models/index.json', options.appBase)).catch(() => undefined);
        const index = res?.ok ? ((await res.json()) as BundledModelEntry[]) : [];
        return urlSource(new URL(`models/${bundledModelPath(index, ref.name)}`, options.appBase).href);
      }
      case 'hub':
        return hubSource(ref.id, { ...options.hub, revision: ref.revision ?? options.hub?.revision });
      case 'stored':
        return storedModelSource(store, ref.id);
      case 'folder':
        throw new Error(`model folder "${ref.path}": folders on disk can only be read by the command line (Node)`);
    }
  };
}
