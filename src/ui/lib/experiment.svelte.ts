/**
 * The page's view of experiments: the stored list, the one selected (URL `exp`), its live
 * progress while it runs in the worker, and its results for the Explain/Transfer/Search/Export
 * views. Filled in once the pipeline lands.
 */
import type { AppState } from './app.svelte';
import type { ExperimentSettings } from './settings.svelte';

export class ExperimentState {
  running = $state(false);

  constructor(private readonly app: AppState, private readonly settings: ExperimentSettings) {}

  async attach(): Promise<void> {}
}
