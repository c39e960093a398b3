/**
 * The tfjs backend the worker runs on, and what happens when a WebGPU device is lost (driver
 * reset, GPU process crash, the browser reclaiming a background tab's GPU): every tensor on it is
 * gone, so we switch to the next backend of the auto order (webgpu → webgl → wasm → cpu), tell the
 * page, and let the listeners (the loaded model, the running experiment) rebuild on the new one.
 */
import * as tf from '@tensorflow/tfjs';
import { AUTO_ORDER } from '../lib/runtime/backend';
import { initBackend } from '../lib/runtime/backend.browser';
import type { BackendChange, BackendInfo, BackendName, BackendPreference } from './protocol';

interface DeviceLostInfo { reason?: string; message?: string }
interface GpuDeviceLike { lost: Promise<DeviceLostInfo>; destroy(): void }

export type BackendChangeListener = (change: BackendChange) => void | Promise<void>;

export class BackendGuard {
  private info: BackendInfo | null = null;
  private readonly listeners = new Set<BackendChangeListener>();
  /** Resolves once a switch after a device loss has finished (the runner waits on it). */
  private switching: Promise<void> | null = null;

  get current(): BackendInfo | null {
    return this.info;
  }

  async init(preference: BackendPreference): Promise<BackendInfo> {
    this.info = await initBackend(preference);
    this.watch();
    return this.info;
  }

  onChange(listener: BackendChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for a backend switch in progress, if any. */
  async settled(): Promise<void> {
    await this.switching;
  }

  private device(): GpuDeviceLike | null {
    if (this.info?.name !== 'webgpu') return null;
    const backend = tf.findBackend('webgpu') as unknown as { device?: GpuDeviceLike } | null;
    return backend?.device ?? null;
  }

  private watch(): void {
    const device = this.device();
    if (!device) return;
    void device.lost.then((lost) => {
      // Our own switch away from webgpu destroys nothing, so every loss here is real (or simulated).
      if (this.info?.name !== 'webgpu' || this.device() !== device) return;
      this.switching = this.fallBack('webgpu', `the WebGPU device was lost (${lost.reason ?? 'unknown'}${lost.message ? `: ${lost.message}` : ''})`);
    });
  }

  /** For tests and demos: destroys the WebGPU device, as a driver reset would. */
  simulateDeviceLoss(): boolean {
    const device = this.device();
    if (!device) return false;
    device.destroy();
    return true;
  }

  private async fallBack(from: BackendName, reason: string): Promise<void> {
    // Tensors of the lost backend cannot be read or moved: drop the backend so tfjs never tries.
    try { tf.removeBackend(from); } catch { /* already gone */ }
    const rest = AUTO_ORDER.slice(AUTO_ORDER.indexOf(from) + 1);
    const reasons: string[] = [];
    for (const name of rest) {
      try {
        this.info = await initBackend(name);
        break;
      } catch (e) {
        reasons.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (!this.info || this.info.name === from) {
      throw new Error(`${reason}, and no other backend could be started (${reasons.join('; ')})`);
    }
    const change: BackendChange = { from, to: this.info, reason };
    for (const l of this.listeners) {
      try { await l(change); } catch (e) { console.error('backend change listener failed', e); }
    }
  }
}
