// comlink ships its Node adapter as an .mjs with a .d.ts beside it, which TypeScript does not pair.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}
