/**
 * Registers the service worker that precaches the app (scripts/vite-service-worker.ts), relative to
 * the page so the app works from any sub-path. A new version waits until the page agrees to switch:
 * `onUpdate` is told, and calling the function it gets activates the new version and reloads.
 */
export function registerServiceWorker(onUpdate?: (activate: () => void) => void): void {
  if (!('serviceWorker' in navigator)) return;
  const activate = (worker: ServiceWorker) => () => {
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    worker.postMessage('skip-waiting');
  };
  navigator.serviceWorker
    .register('./sw.js')
    .then((registration) => {
      const offer = () => {
        if (registration.waiting && navigator.serviceWorker.controller) onUpdate?.(activate(registration.waiting));
      };
      offer();
      registration.addEventListener('updatefound', () => {
        registration.installing?.addEventListener('statechange', offer);
      });
    })
    .catch((e: unknown) => console.warn('TransferScope: the service worker could not be registered; the app will not work offline.', e));
}
