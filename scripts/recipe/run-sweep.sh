#!/bin/sh
# Reruns the recipe sweep of the bundled model's card (one training process at a time; resumable:
# finished runs in .recipe/runs.jsonl are skipped). Usage: sh scripts/recipe/run-sweep.sh [TRECIS_DIR]
set -e
TRECIS=${1:-../shared/data/trecis-2020a}
S=scripts/recipe/sweep.ts
npx tsx $S --data demo --tasks use::editing,works-with::text,works-with::mail,network::server \
  --settings lr3e-4-bal-len64,lr1e-3-bal-len64,lr3e-4-len64 --seeds 1,2 --max-train-docs 500 > .recipe/summary-demo.json
npx tsx $S --data "$TRECIS" --format trecis --tasks "${TRECIS_TASKS:-MultimediaShare,EmergingThreats,NewSubEvent,MovePeople}" \
  --settings lr3e-4-bal-len64,lr3e-4-len64 --seeds 1,2 --max-train-docs 500 > .recipe/summary-trecis.json
