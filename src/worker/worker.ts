/// <reference lib="webworker" />
/**
 * The Web Worker that owns tfjs: all heavy work happens here so the page stays responsive.
 * The page sends its base URL first (bundled models and data resolve against it).
 */
import * as Comlink from 'comlink';
import { WorkerApi } from './api';

const factory = {
  create(appBase: string) {
    return Comlink.proxy(new WorkerApi(appBase));
  },
};
export type WorkerFactory = typeof factory;

Comlink.expose(factory);
