/**
 * Replaces one tfjs-wasm kernel by a faster one that falls back to the stock kernel where it does
 * not apply. The stock setup stays registered: the fallback needs the compiled wasm function that
 * setup binds. Once per kernel; nothing happens before the wasm backend is loaded.
 */
import * as tf from '@tensorflow/tfjs';

const replaced = new Set<string>();

export function replaceWasmKernel(name: string, make: (stock: tf.KernelFunc) => tf.KernelFunc): void {
  if (replaced.has(name)) return;
  const stock = tf.getKernel(name, 'wasm');
  if (!stock) return; // wasm backend not loaded: nothing to improve
  replaced.add(name);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: name, backendName: 'wasm', setupFunc: stock.setupFunc, kernelFunc: make(stock.kernelFunc) });
}
