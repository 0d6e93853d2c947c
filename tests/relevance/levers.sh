#!/usr/bin/env bash
# Measures each ranking lever on the relevance dev set: one run per variant, each on a fresh index built through
# the gRPC API. Usage: tests/relevance/levers.sh OUTDIR [VARIANT...]
# Needs ../shared/data/arcd.json and ../shared/data/saudinewsnet.jsonl.gz next to the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: levers.sh OUTDIR [VARIANT...]}; shift || true
mkdir -p "$out"
QA=${QA:-../shared/data/arcd.json}
DISTRACTORS=${DISTRACTORS:-../shared/data/saudinewsnet.jsonl.gz}
dotnet build -c Release tests/TextSearch.Relevance > "$out/build.log" 2>&1 || { echo "build failed: see $out/build.log" >&2; exit 1; }

declare -A variants=(
  [current]=""
  [original]="TextSearch:Ranking:TitleBoost=2 TextSearch:Ranking:ExactBoost=0 TextSearch:Ranking:ProximityBoost=0 TextSearch:Ranking:CoordinationExponent=1 TextSearch:Ranking:K1=1.2 TextSearch:Ranking:B=0.75"
  [no-coord]="TextSearch:Ranking:Coordination=false"
  [no-variants]="TextSearch:Ranking:VariantBoost=0"
  [title-1]="TextSearch:Ranking:TitleBoost=1"
  [title-3]="TextSearch:Ranking:TitleBoost=3"
  [title-0.5]="TextSearch:Ranking:TitleBoost=0.5"
  [title-in-body]="TextSearch:Ranking:TitleInBody=true"
  [title-in-body-1.5]="TextSearch:Ranking:TitleInBody=true TextSearch:Ranking:TitleBoost=1.5"
  [title-in-body-exact-0.5]="TextSearch:Ranking:TitleInBody=true TextSearch:Ranking:ExactBoost=0.5"
  [title-in-body-1-exact-0.5]="TextSearch:Ranking:TitleInBody=true TextSearch:Ranking:TitleBoost=1 TextSearch:Ranking:ExactBoost=0.5"
  [title-in-body-0.5]="TextSearch:Ranking:TitleInBody=true TextSearch:Ranking:TitleBoost=0.5"
  [coord-2]="TextSearch:Ranking:CoordinationExponent=2"
  [coord-3]="TextSearch:Ranking:CoordinationExponent=3"
  [exact-0.5]="TextSearch:Ranking:ExactBoost=0.5"
  [exact-1]="TextSearch:Ranking:ExactBoost=1"
  [proximity-1]="TextSearch:Ranking:ProximityBoost=1"
  [proximity-3]="TextSearch:Ranking:ProximityBoost=3"
  [proximity-0.5]="TextSearch:Ranking:ProximityBoost=0.5"
  [coord-0.5]="TextSearch:Ranking:CoordinationExponent=0.5"
  [exact-0.3]="TextSearch:Ranking:ExactBoost=0.3"
  [k1-0.9-b-0.4]="TextSearch:Ranking:K1=0.9 TextSearch:Ranking:B=0.4"
  [k1-1.5-b-0.9]="TextSearch:Ranking:K1=1.5 TextSearch:Ranking:B=0.9"
  [hamza-carriers]="TextSearch:Analysis:HamzaCarriers=true"
  [keep-teh-marbuta]="TextSearch:Analysis:TehMarbuta=false"
  [keep-alef-maksura]="TextSearch:Analysis:AlefMaksura=false"
  [question-words-kept]="TextSearch:Analysis:QuestionWordsAreStopwords=false"
  [no-stemming]="TextSearch:Analysis:Stem=false"
  [window-0]="TextSearch:Ranking:RescoreWindow=0"
  [window-50]="TextSearch:Ranking:RescoreWindow=50"
  [window-1000]="TextSearch:Ranking:RescoreWindow=1000"
  [window-100]="TextSearch:Ranking:RescoreWindow=100"
  [slop-8]="TextSearch:Ranking:ProximitySlop=8"
  [b-0.75]="TextSearch:Ranking:B=0.75"
  [k1-1.2]="TextSearch:Ranking:K1=1.2"
  [proximity-0.25]="TextSearch:Ranking:ProximityBoost=0.25"
  [reach-2]="TextSearch:Ranking:ProximityReach=2"
  [reach-3]="TextSearch:Ranking:ProximityReach=3"
  [reach-2-slop-8]="TextSearch:Ranking:ProximityReach=2 TextSearch:Ranking:ProximitySlop=8"
)
names=("$@")
[ ${#names[@]} -eq 0 ] && names=("${!variants[@]}")
for name in "${names[@]}"; do
  sets=()
  # A base configuration (EXTRA), then the variant's own settings, which win.
  if [ -n "${EXTRA:-}" ]; then for s in $EXTRA; do sets+=(--set "$s"); done; fi
  for s in ${variants[$name]:-}; do sets+=(--set "$s"); done
  dotnet run -c Release --no-build --project tests/TextSearch.Relevance -- --qa "$QA" --distractors "$DISTRACTORS" \
    --baseline none --name "$name" "${sets[@]}" --json "$out/$name.json" 2>"$out/$name.log" | grep -E '^\| [a-z]'
done
