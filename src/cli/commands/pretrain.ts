/**
 * `npm run cli -- pretrain`: masked-language-model pretraining of the bundled small BERT on the
 * packed sequences of scripts/pretrain/sequences.ts, on the wasm backend, resumable.
 * Running the same command again continues from the last checkpoint in --checkpoint-dir.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError, parseArgs } from '../args';
import { folderSource, writeFolder } from '../../lib/bert/file-source.node.js';
import { initGroups } from '../../lib/bert/init';
import { loadBert, saveBert } from '../../lib/bert/load';
import type { BertModel } from '../../lib/bert/model';
import { BertTokenizer } from '../../lib/bert/tokenizer';
import { initBackend } from '../../lib/runtime/backend.node.js';
import { checkpointPath, readCheckpoint, writeFileAtomic } from '../../lib/pretrain/checkpoint-file.node.js';
import { evaluateMlm, maskHeldout } from '../../lib/pretrain/mlm-eval';
import { bundledConfig, maskingFor } from '../../lib/pretrain/model-config';
import { DEFAULT_SETTINGS, Pretrainer, type PretrainSettings } from '../../lib/pretrain/pretrainer';
import { decodeSequenceFile } from '../../lib/pretrain/sequence-file';
import { fitUnigram, scoreUnigram } from '../../lib/pretrain/unigram-baseline';

export const usage = `npm run cli -- pretrain --steps N [options]
  Data:   --train .pretrain/train-128.seq  --heldout .pretrain/heldout-128.seq  --vocab .pretrain/vocab
  Shape:  --hidden 128 --layers 4 [--heads hidden/64] [--intermediate 4·hidden]
  Run:    --steps N (required) --batch-size ${DEFAULT_SETTINGS.batchSize} --micro-batch-size ${DEFAULT_SETTINGS.microBatchSize}
          --lr ${DEFAULT_SETTINGS.learningRate} --warmup ${DEFAULT_SETTINGS.warmupSteps} --weight-decay ${DEFAULT_SETTINGS.weightDecay}
          --beta2 ${DEFAULT_SETTINGS.beta2} --clip-norm ${DEFAULT_SETTINGS.clipNorm} --seed ${DEFAULT_SETTINGS.seed} [--dropout]
  Resume: --checkpoint-dir .pretrain/checkpoints (continues from latest.safetensors there; --fresh ignores it)
          --checkpoint-minutes 5   --stop-after K (stop after K steps in this session, checkpointed)
  Eval:   --eval-every 250 (steps; also at the end)  --mask-seed 2024  [--eval-limit n sequences]
  Phase:  --init-from <model folder> (start from its weights with fresh AdamW moments: a further phase)
  Output: --out <folder> (Hugging Face folder written when the run is complete)
Progress lines go to stderr; the final JSON (settings, losses summary, evaluations, baseline) to stdout.`;

function vocabOf(dir: string): string[] {
  return readFileSync(path.join(dir, 'vocab.txt'), 'utf8').split('\n').filter((t) => t !== '');
}

function readSeq(file: string) {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    throw new Error(`cannot read ${file}; build it with: npx tsx scripts/pretrain/sequences.ts --vocab .pretrain/vocab`);
  }
  return decodeSequenceFile(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), file);
}

const fmtTime = (s: number) => `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(
    argv,
    ['train', 'heldout', 'vocab', 'hidden', 'layers', 'heads', 'intermediate', 'steps', 'batch-size', 'micro-batch-size', 'lr', 'warmup',
      'weight-decay', 'beta2', 'clip-norm', 'seed', 'checkpoint-dir', 'checkpoint-minutes', 'stop-after', 'eval-every', 'mask-seed', 'eval-limit', 'out', 'init-from'],
    ['dropout', 'fresh'],
  );
  const backend = await initBackend('wasm');
  const vocabDir = args.get('vocab') ?? '.pretrain/vocab';
  const vocab = vocabOf(vocabDir);
  const train = readSeq(args.get('train') ?? '.pretrain/train-128.seq');
  const heldout = readSeq(args.get('heldout') ?? '.pretrain/heldout-128.seq');
  if (train.vocabSize !== vocab.length) throw new Error(`${args.get('train') ?? 'train file'} was built with ${train.vocabSize} tokens but ${vocabDir}/vocab.txt has ${vocab.length}`);
  const hidden = args.int('hidden', 128);
  // A further phase keeps the model's position table: its sequences may be shorter (tweets
  // packed to 64 tokens continue a model made for 128), never longer.
  const initPositions = args.has('init-from') ? initModelPositions(args.required('init-from')) : undefined;
  if (initPositions !== undefined && train.maxLength > initPositions) {
    throw new CliError(`--train holds sequences of ${train.maxLength} tokens but --init-from has only ${initPositions} positions`);
  }
  const config = bundledConfig({
    hidden,
    layers: args.int('layers', 4),
    ...(args.has('heads') ? { heads: args.int('heads') } : {}),
    ...(args.has('intermediate') ? { intermediate: args.int('intermediate') } : {}),
    vocabSize: vocab.length,
    maxLength: initPositions ?? train.maxLength,
  });
  const settings: PretrainSettings = {
    totalSteps: args.int('steps'),
    batchSize: args.int('batch-size', DEFAULT_SETTINGS.batchSize),
    microBatchSize: args.int('micro-batch-size', DEFAULT_SETTINGS.microBatchSize),
    learningRate: args.number('lr', DEFAULT_SETTINGS.learningRate),
    warmupSteps: args.int('warmup', DEFAULT_SETTINGS.warmupSteps),
    weightDecay: args.number('weight-decay', DEFAULT_SETTINGS.weightDecay),
    beta1: DEFAULT_SETTINGS.beta1,
    beta2: args.number('beta2', DEFAULT_SETTINGS.beta2),
    eps: DEFAULT_SETTINGS.eps,
    clipNorm: args.number('clip-norm', DEFAULT_SETTINGS.clipNorm),
    dropout: args.has('dropout'),
    seed: args.int('seed', DEFAULT_SETTINGS.seed),
    masking: maskingFor(vocab),
    ...(args.has('init-from') ? { initFrom: args.required('init-from') } : {}),
  };
  const ckptDir = args.get('checkpoint-dir') ?? '.pretrain/checkpoints';
  const log = (line: string) => process.stderr.write(`[pretrain ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

  const existing = args.has('fresh') ? null : readCheckpoint(ckptDir);
  let trainer: Pretrainer;
  if (existing) {
    trainer = Pretrainer.restore(existing, train, checkpointPath(ckptDir));
    const differs = (JSON.stringify(trainer.settings) !== JSON.stringify(settings)) || (JSON.stringify(trainer.model.config) !== JSON.stringify(config));
    if (differs) {
      const had = JSON.stringify({ config: trainer.model.config, settings: { ...trainer.settings, masking: undefined } });
      trainer.dispose();
      throw new CliError(`${checkpointPath(ckptDir)} belongs to a run with other settings (${had}); repeat that run's command, or pass --fresh or another --checkpoint-dir`);
    }
    log(`resuming from ${checkpointPath(ckptDir)} at step ${trainer.state.step}/${settings.totalSteps}`);
  } else {
    let initial: BertModel | undefined;
    if (settings.initFrom) {
      initial = (await loadBert(folderSource(settings.initFrom), { head: 'masked-lm' })).model;
      const shapeFields = ['vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'max_position_embeddings', 'hidden_act'] as const;
      if (shapeFields.some((f) => initial!.config[f] !== config[f])) {
        initial.dispose();
        throw new CliError(`--init-from ${settings.initFrom} has another shape than asked (${JSON.stringify(initial.config)})`);
      }
    }
    trainer = Pretrainer.create(config, settings, train, initial);
    initial?.dispose();
    log(`${settings.initFrom ? `run starting from ${settings.initFrom}` : 'fresh run'}: ${trainer.model.size()} parameters, ${settings.totalSteps} steps of ${settings.batchSize} sequences`);
  }

  const evalMasking = { vocabSize: vocab.length, maskId: settings.masking.maskId, specialIds: settings.masking.specialIds };
  const maskSeed = args.int('mask-seed', 2024);
  const evalLimit = args.int('eval-limit', heldout.count);
  const heldoutSeqs = Array.from({ length: Math.min(evalLimit, heldout.count) }, (_, i) => heldout.get(i));
  const heldoutMasked = maskHeldout(heldoutSeqs, evalMasking, maskSeed);
  const evalEvery = args.int('eval-every', 250);
  const checkpointMs = args.number('checkpoint-minutes', 5) * 60_000;
  const stopAfter = args.int('stop-after', Number.MAX_SAFE_INTEGER);

  let stopRequested = false;
  const onSignal = () => {
    stopRequested = true;
    log('signal received: checkpointing after this step');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const save = async () => {
    const t0 = performance.now();
    writeFileAtomic(checkpointPath(ckptDir), await trainer.checkpoint());
    log(`checkpoint at step ${trainer.state.step} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  };
  const evaluateNow = async () => {
    const t0 = performance.now();
    const score = await evaluateMlm(trainer.model, heldoutMasked, { padId: settings.masking.padId });
    const record = { step: trainer.state.step, ...score };
    trainer.state.evals = trainer.state.evals.filter((e) => e.step !== record.step).concat(record);
    log(`eval step ${record.step}: accuracy ${score.accuracy.toFixed(4)} perplexity ${score.perplexity.toFixed(1)} on ${score.targets} targets (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  };

  try {
    let lastSave = performance.now();
    let sessionSteps = 0;
    let windowTokens = 0;
    let windowMs = 0;
    let windowLoss = 0;
    let windowN = 0;
    const sessionStart = performance.now();
    while (!trainer.done && !stopRequested && sessionSteps < stopAfter) {
      const r = await trainer.step();
      sessionSteps++;
      windowTokens += r.tokens;
      windowMs += r.ms;
      windowLoss += r.loss;
      windowN++;
      if (r.step % 10 === 0 || r.step === settings.totalSteps) {
        const msPerStep = (performance.now() - sessionStart) / sessionSteps;
        const eta = ((settings.totalSteps - r.step) * msPerStep) / 1000;
        log(`step ${r.step}/${settings.totalSteps} loss ${(windowLoss / windowN).toFixed(4)} lr ${r.learningRate.toExponential(2)} ${Math.round(windowTokens / (windowMs / 1000))} tokens/s ETA ${fmtTime(eta)}`);
        windowTokens = windowMs = windowLoss = windowN = 0;
      }
      if (r.step % evalEvery === 0 && r.step !== settings.totalSteps) await evaluateNow();
      if (performance.now() - lastSave >= checkpointMs) {
        await save();
        lastSave = performance.now();
      }
    }
    if (trainer.done && trainer.state.evals.at(-1)?.step !== trainer.state.step) await evaluateNow();
    await save();

    const unigram = scoreUnigram(
      fitUnigram({ [Symbol.iterator]: function* () { for (let i = 0; i < train.count; i++) yield train.get(i); } }, vocab.length, settings.masking.specialIds),
      heldoutMasked.flatMap((m) => [...m.labels]),
    );
    let written: string | undefined;
    const outDir = args.get('out');
    if (trainer.done && outDir) {
      // BertForMaskedLM has no pooler; fine-tuning needs one, so the folder carries a seeded fresh one.
      for (const [n, v] of initGroups(trainer.model.config, ['pooler'], settings.seed)) trainer.model.params.set(n, v);
      const tokenizer = await BertTokenizer.fromSource(folderSource(vocabDir));
      await writeFolder(outDir, await saveBert(trainer.model, tokenizer));
      written = outDir;
      log(`model written to ${outDir}`);
    }
    const s = trainer.state;
    const last = s.losses.slice(-50);
    return {
      backend: backend.name,
      complete: trainer.done,
      step: s.step,
      totalSteps: settings.totalSteps,
      parameters: trainer.model.size(),
      config: trainer.model.config,
      settings: { ...settings, masking: { ...settings.masking, specialIds: [...settings.masking.specialIds] } },
      tokensSeen: s.tokensSeen,
      predictionsSeen: s.predictionsSeen,
      trainHours: s.trainMs / 3_600_000,
      lossFirst: s.losses[0],
      lossLast50Mean: last.reduce((a, b) => a + b, 0) / (last.length || 1),
      evals: s.evals,
      heldout: { sequences: heldoutMasked.length, maskSeed, unigramBaseline: unigram },
      out: written,
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    trainer.dispose();
  }
}

/** max_position_embeddings of an --init-from folder's config.json. */
function initModelPositions(folder: string): number {
  let config: { max_position_embeddings?: unknown };
  try {
    config = JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8')) as typeof config;
  } catch (e) {
    throw new CliError(`--init-from ${folder}: cannot read config.json (${(e as Error).message})`);
  }
  const n = config.max_position_embeddings;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new CliError(`--init-from ${folder}: config.json has no max_position_embeddings`);
  return n;
}
