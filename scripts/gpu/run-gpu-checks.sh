#!/usr/bin/env bash
# The GPU check of issue 19 on a machine that has the checkout and scripts/gpu/dist (built here by
# `npx tsx scripts/gpu/build-carry.ts`) but no network and no node_modules. Results go to $OUT
# (set by the device tool) or out/gpu-checks/: gpu-checks.json (and .partial.json as it goes),
# gpu-checks.log, torch.json, env.txt. Options are passed on to gpu-checks (e.g. --quick,
# --backend wasm, --fp32-peak-tflops X). Environment: PYTHON (default python3), TORCH_DEVICE
# (default cuda when torch sees one; "none" skips PyTorch), GPU_CHECKS_TIMEOUT (s, default 420),
# CARRIED_NODE=1 (use the carried Node even where one is installed).
set -uo pipefail
cd "$(dirname "$0")/../.."
DIST=scripts/gpu/dist
RES=${OUT:-out/gpu-checks}
mkdir -p "$RES"
if [ ! -f "$DIST/gpu-checks.mjs" ]; then
  echo "missing $DIST/gpu-checks.mjs: run 'npx tsx scripts/gpu/build-carry.ts' first, and carry scripts/gpu/dist" >&2
  exit 2
fi

unxz_to() { # file.xz → file, with xz or, where xz is missing, Python's lzma
  [ -s "$2" ] && return 0
  if command -v xz >/dev/null; then xz -dc "$1" > "$2.tmp"; else "${PYTHON:-python3}" -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],"wb"))' "$1" "$2.tmp"; fi && mv "$2.tmp" "$2"
}

# Node ≥ 20: the machine's own, else (or with CARRIED_NODE=1) the one carried in dist/node.xz.
NODE=$(command -v node || true)
[ -n "${CARRIED_NODE:-}" ] && NODE=""
if [ -z "$NODE" ] || ! "$NODE" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
  unxz_to "$DIST/node.xz" "$DIST/node" && chmod +x "$DIST/node" || { echo "no Node ≥ 20 here and none carried ($DIST/node.xz)" >&2; exit 2; }
  NODE=$DIST/node
fi
unxz_to "$DIST/node_modules/webgpu/dist/linux-x64/dawn.node.xz" "$DIST/node_modules/webgpu/dist/linux-x64/dawn.node" || exit 2

# Dawn opens libvulkan.so.1 at run time: the system's, else the carried loader. The NVIDIA ICD of
# the device machines lives under /usr/local/nvidia (see the device tool's README).
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1'; then
  export LD_LIBRARY_PATH="$PWD/$DIST/vulkan${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
NV_ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ] && [ -f "$NV_ICD" ]; then
  export VK_DRIVER_FILES=$NV_ICD VK_ICD_FILENAMES=$NV_ICD
fi

{
  echo "date: $(date -u +%FT%TZ)"; echo "node: $NODE $("$NODE" --version)"; echo "uname: $(uname -srm)"
  echo "nvidia-smi: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -3)"
  echo "libvulkan: $(ldconfig -p 2>/dev/null | grep -c 'libvulkan.so.1') in ldconfig; LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-} VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-}"
} | tee "$RES/env.txt" >&2

QUICK=""
for a in "$@"; do [ "$a" = "--quick" ] && QUICK=1; done
PY=${PYTHON:-python3}
TORCH_ARGS=()
TD=${TORCH_DEVICE:-}
if [ -z "$TD" ] && "$PY" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then TD=cuda; fi
if [ -n "$TD" ] && [ "$TD" != none ]; then
  echo "PyTorch reference on $TD" >&2
  if timeout 120 "$PY" scripts/gpu/torch_cuda_train.py --device "$TD" ${QUICK:+--batch-seq 2x16 --warmup 1 --steps 2 --matmul 128,256} > "$RES/torch.json" 2> "$RES/torch.err"; then
    TORCH_ARGS=(--torch-json "$RES/torch.json")
  else
    echo "PyTorch reference failed (see torch.err):" >&2; tail -5 "$RES/torch.err" >&2
  fi
else
  echo "PyTorch with CUDA not found: no PyTorch reference" >&2
fi

# Dawn prints its validation messages on stdout: the result goes to --json, stdout to the log.
rm -f "$RES/gpu-checks.json"
timeout "${GPU_CHECKS_TIMEOUT:-420}" "$NODE" "$DIST/gpu-checks.mjs" --json "$RES/gpu-checks.json" --partial "$RES/gpu-checks.partial.json" "${TORCH_ARGS[@]}" "$@" \
  > >(tee "$RES/gpu-checks.stdout.log" | head -c 4000 >&2) 2> >(tee "$RES/gpu-checks.log" >&2)
rc=$?
[ -s "$RES/gpu-checks.json" ] || { echo "gpu-checks exited $rc without a result; what it finished is in gpu-checks.partial.json" >&2; cp "$RES/gpu-checks.partial.json" "$RES/gpu-checks.json" 2>/dev/null; }
# The headline figures on stdout (the device tool returns the output's tail; the files come back whole).
"$NODE" -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const pick = (o, ks) => Object.fromEntries(ks.filter((k) => o && k in o).map((k) => [k, o[k]]));
console.log(JSON.stringify({
  run_kind: r.run_kind, backend: r.backend, gpus: r.gpus, fp32_peak: r.fp32_peak, wall_s: r.wall_s,
  matmul: r.matmul, correctness: r.fixture_checks && pick(r.fixture_checks, ["all_pass", "worst_abs_diff", "tolerance"]),
  train: (r.train ?? []).map((t) => pick(t, ["shape", "batch", "seq", "ms_per_step_median", "examples_per_s", "model_gflops_per_s", "fraction_of_fp32_peak"])),
  wasm_lane: r.wasm_lane && pick(r.wasm_lane, ["shape", "examples_per_s"]),
  torch: r.torch && { device: r.torch.device, gpu: r.torch.gpu_name, train: r.torch.results, matmul: r.torch.matmul },
  conductance: (r.conductance ?? []).map((c) => ({ shape: `${c.shape.layers}x${c.shape.hidden}`, one_pass_ms: c.one_pass_wall_ms.median, per_layer_ms: c.per_layer_loop_wall_ms.median, ratio: c.ratio, goal: c.goal_ratio })),
  goals: r.goals && Object.fromEntries(Object.entries(r.goals).map(([k, g]) => [k, { value: g.value, target: g.target, met: g.met }])),
}, null, 1));' "$RES/gpu-checks.json" || true
exit $rc
