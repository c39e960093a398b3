import { mount } from 'svelte';
import App from './ui/App.svelte';
import { registerServiceWorker } from './ui/lib/service-worker';

mount(App, { target: document.getElementById('app')! });
// Only the built app has a service worker (dev serves modules that change on every edit).
if (import.meta.env.PROD) {
  registerServiceWorker((activate) => window.dispatchEvent(new CustomEvent('transferscope:update', { detail: activate })));
}
