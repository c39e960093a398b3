/**
 * The names of the tfjs backends the app can run on, and what a user may ask for. In a module of
 * their own so that the backend choice (backend-choice.ts) and the initialisation (backend.ts) can
 * both use them without importing each other.
 */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;
