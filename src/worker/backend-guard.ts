/**
 * The tfjs backend the worker runs on, and what happens when a WebGPU device is lost (driver
 * reset, GPU process crash, the browser reclaiming the GPU): every tensor on it is gone, so we
 * stop what runs on it, switch to the next backend of the auto order (webgpu → webgl → wasm → cpu),
 * tell the page, and let the listeners (the loaded model, the running experiment) rebuild there.
 */
import * as tf from '@tensorflow/tfjs';
import { AUTO_ORDER } from '../lib/runtime/backend';
import { BACKEND_LABELS } from '../lib/runtime/backend-choice';
import { initBackend } from '../lib/runtime/backend.browser';
import type { BackendChange, BackendInfo, BackendName, BackendPreference } from './protocol';

interface DeviceLostInfo { reason?: string; message?: string }
interface GpuDeviceLike { lost: Promise<DeviceLostInfo>; destroy(): void }

export type BackendChangeListener = (change: BackendChange) => void | Promise<void>;

export class BackendGuard {
  private info: BackendInfo | null = null;
  /** Run before the switch: stop using the lost backend (e.g. pause the experiment). */
  private readonly stopping = new Set<(reason: string) => Promise<void>>();
  /** Run after the switch: rebuild on the new backend, tell the page. */
  private readonly listeners = new Set<BackendChangeListener>();
  /** Resolves once a switch after a device loss has finished. */
  private switching: Promise<void> | null = null;

  get current(): BackendInfo | null {
    return this.info;
  }

  async init(preference: BackendPreference): Promise<BackendInfo> {
    this.info = await initBackend(preference);
    this.watch();
    return this.info;
  }

  onStopping(listener: (reason: string) => Promise<void>): void {
    this.stopping.add(listener);
  }

  onChange(listener: BackendChangeListener): void {
    this.listeners.add(listener);
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
      if (this.info?.name !== 'webgpu') return;
      const reason = `the WebGPU device was lost (${lost.reason ?? 'unknown reason'}${lost.message ? `: ${lost.message}` : ''})`;
      this.switching = this.fallBack('webgpu', reason).catch((e) => console.error(e));
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
    for (const stop of this.stopping) {
      try { await stop(reason); } catch (e) { console.error('stopping work on the lost backend failed', e); }
    }
    // Tensors of the lost backend cannot be read or moved: drop the backend so tfjs never tries.
    try { tf.removeBackend(from); } catch { /* already gone */ }
    const rest = AUTO_ORDER.slice(AUTO_ORDER.indexOf(from) + 1);
    const reasons: string[] = [];
    let next: BackendInfo | null = null;
    for (const name of rest) {
      try {
        next = await initBackend(name);
        break;
      } catch (e) {
        reasons.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (!next) throw new Error(`${reason}, and no other backend could be started (${reasons.join('; ')})`);
    this.info = { ...next, reason: `${BACKEND_LABELS[next.name]} — ${reason}` };
    const change: BackendChange = { from, to: this.info, reason };
    for (const l of this.listeners) {
      try { await l(change); } catch (e) { console.error('backend change listener failed', e); }
    }
  }
}
