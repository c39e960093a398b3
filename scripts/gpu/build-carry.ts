/**
 * Builds scripts/gpu/dist/ (ignored by git: `dist/`), the one folder a GPU machine needs besides
 * the checkout: node_modules is ~1 GB, far over the device tool's 64 MiB, so everything travels
 * pre-built and compressed:
 *   gpu-checks.mjs                 the checks, bundled (tfjs, the wasm and WebGPU backends, our core)
 *   node_modules/@tensorflow/tfjs-backend-wasm/   its package.json and .wasm binaries (setWasmPaths)
 *   node_modules/webgpu/           Dawn's Node binding: index.js, package.json, dist/linux-x64/dawn.node.xz
 *   node.xz                        this machine's Node binary, for a machine without Node ≥ 20
 *   vulkan/libvulkan.so.1          the Vulkan loader (Debian's libvulkan1), which Dawn opens at run time
 * run-gpu-checks.sh unpacks the .xz files on first use. Prints the sizes as JSON.
 *
 *   npx tsx scripts/gpu/build-carry.ts [--no-node]
 */
import { build } from 'vite';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../../src/cli/args';
import { runScript } from '../run-script';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.join(HERE, 'dist');
const require = createRequire(import.meta.url);

const CJS_GLOBALS = [
  "import { createRequire as __gpuCreateRequire } from 'node:module';",
  "import { fileURLToPath as __gpuFileUrlToPath } from 'node:url';",
  "import { dirname as __gpuDirname } from 'node:path';",
  'const require = __gpuCreateRequire(import.meta.url);',
  'const __filename = __gpuFileUrlToPath(import.meta.url);',
  'const __dirname = __gpuDirname(__filename);',
].join('\n');

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

function xz(from: string, to: string): void {
  execFileSync('sh', ['-c', `xz -6 -T0 -c "$0" > "$1"`, from, to]);
}

/** Debian's libvulkan1 unpacked here; Chromium's copy of the same loader where apt is unreachable. */
function vulkanLoader(into: string): string {
  mkdirSync(into, { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gpu-carry-'));
  try {
    execFileSync('apt-get', ['download', 'libvulkan1'], { cwd: tmp, stdio: 'ignore' });
    const deb = readdirSync(tmp).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error('no .deb');
    execFileSync('dpkg', ['-x', deb, 'root'], { cwd: tmp });
    const lib = execFileSync('sh', ['-c', 'readlink -f root/usr/lib/*/libvulkan.so.1'], { cwd: tmp, encoding: 'utf8' }).trim();
    copyFileSync(lib, path.join(into, 'libvulkan.so.1'));
    return `Debian ${deb}`;
  } catch {
    const chromium = '/usr/lib/chromium/libvulkan.so.1';
    if (!existsSync(chromium)) throw new Error('no Vulkan loader: apt-get download libvulkan1 failed and /usr/lib/chromium/libvulkan.so.1 is missing');
    copyFileSync(chromium, path.join(into, 'libvulkan.so.1'));
    return chromium;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function sizeOf(p: string): number {
  const s = statSync(p);
  return s.isDirectory() ? readdirSync(p).reduce((n, f) => n + sizeOf(path.join(p, f)), 0) : s.size;
}

async function main(argv: string[]) {
  const args = parseArgs(argv, [], ['no-node']);
  // node.xz takes a minute to compress: kept when it is of this Node binary.
  const builtFile = path.join(DIST, 'BUILT.json');
  const previous = existsSync(builtFile) ? (JSON.parse(readFileSync(builtFile, 'utf8')) as { node?: string }) : {};
  const keepNode = !args.has('no-node') && previous.node === process.version && existsSync(path.join(DIST, 'node.xz'));
  mkdirSync(DIST, { recursive: true });
  for (const f of readdirSync(DIST)) if (!(keepNode && f === 'node.xz')) rmSync(path.join(DIST, f), { recursive: true, force: true });

  await build({
    configFile: false,
    logLevel: 'warn',
    // As in vite.config.ts: only the tokenizers of @xenova/transformers are reached (through
    // src/lib/bert/load), never the ONNX runtime; see the stub.
    resolve: { alias: [{ find: /^onnxruntime-(web|node)$/, replacement: path.join(HERE, '..', '..', 'src', 'lib', 'bert', 'onnxruntime-stub.ts') }] },
    build: {
      ssr: path.join(HERE, 'gpu-checks.ts'),
      outDir: DIST,
      emptyOutDir: false,
      target: 'node20',
      minify: true,
      rolldownOptions: {
        external: ['webgpu'],
        // The wasm backend's Emscripten glue is CommonJS and reads __dirname and require.
        output: { format: 'es', entryFileNames: 'gpu-checks.mjs', codeSplitting: false, banner: CJS_GLOBALS },
      },
    },
    ssr: { noExternal: true, target: 'node' },
  });

  const wasmPkg = packageDir('@tensorflow/tfjs-backend-wasm');
  const wasmOut = path.join(DIST, 'node_modules', '@tensorflow', 'tfjs-backend-wasm');
  mkdirSync(path.join(wasmOut, 'dist'), { recursive: true });
  copyFileSync(path.join(wasmPkg, 'package.json'), path.join(wasmOut, 'package.json'));
  for (const f of readdirSync(path.join(wasmPkg, 'dist')).filter((f) => f.endsWith('.wasm'))) copyFileSync(path.join(wasmPkg, 'dist', f), path.join(wasmOut, 'dist', f));

  const dawnPkg = packageDir('webgpu');
  const dawnOut = path.join(DIST, 'node_modules', 'webgpu');
  mkdirSync(path.join(dawnOut, 'dist', 'linux-x64'), { recursive: true });
  for (const f of ['package.json', 'index.js', 'LICENSE.md']) copyFileSync(path.join(dawnPkg, f), path.join(dawnOut, f));
  xz(path.join(dawnPkg, 'dist', 'linux-x64', 'dawn.node'), path.join(dawnOut, 'dist', 'linux-x64', 'dawn.node.xz'));

  const vulkan = vulkanLoader(path.join(DIST, 'vulkan'));
  if (!args.has('no-node') && !keepNode) xz(process.execPath, path.join(DIST, 'node.xz'));
  writeFileSync(builtFile, JSON.stringify({ built: new Date().toISOString(), node: args.has('no-node') ? null : process.version, vulkan_loader: vulkan }, null, 1) + '\n');

  const entries = ['gpu-checks.mjs', 'node_modules/@tensorflow/tfjs-backend-wasm', 'node_modules/webgpu', 'vulkan', 'node.xz'];
  const sizes = Object.fromEntries(entries.filter((e) => existsSync(path.join(DIST, e))).map((e) => [e, sizeOf(path.join(DIST, e))]));
  const total = sizeOf(DIST);
  return { dist: path.relative(process.cwd(), DIST), node: args.has('no-node') ? 'not carried' : process.version, vulkan_loader: vulkan, bytes: sizes, total_bytes: total, total_mib: Math.round((total / 2 ** 20) * 10) / 10 };
}

runScript(import.meta.url, main);
