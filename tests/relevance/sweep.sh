#!/usr/bin/env bash
# Measures query-time ranking settings on both relevance pools in seconds each: every pool is indexed once (kept in
# OUTDIR for later sweeps), then for each variant a server is started on that index with the variant's settings and
# only the questions are asked (textsearch-eval --indexed).
#
# Usage: tests/relevance/sweep.sh OUTDIR VARIANT...
#   A variant is one argument of space-separated settings, the TextSearch:Ranking: prefix implied:
#   tests/relevance/sweep.sh /tmp/sweep "" "K1=1.2" "B=1.0 K1=1.2" "RescoreWindow=100"
#   ("" is the configuration as it is.) Settings that change what is indexed (TitleInBody, TextSearch:Analysis:*)
#   are refused: measure those with levers.sh, which builds a fresh index per run.
# Needs ../shared/data/arcd.json, ../shared/data/saudinewsnet.jsonl.gz and the passages
# (python3 ../shared/tools/passages.py ../shared/data/saudinewsnet.jsonl.gz $PASSAGES) next to the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: sweep.sh OUTDIR VARIANT...}; shift
[ $# -gt 0 ] || { echo "usage: sweep.sh OUTDIR VARIANT..." >&2; exit 2; }
QA=${QA:-../shared/data/arcd.json}
ARTICLES=${ARTICLES:-../shared/data/saudinewsnet.jsonl.gz}
PASSAGES=${PASSAGES:-/tmp/passages.jsonl.gz}
mkdir -p "$out"
out=$(cd "$out" && pwd)

for variant in "$@"; do
  for s in $variant; do
    case "$s" in
      *TitleInBody*|TextSearch:Analysis:*) echo "'$s' changes the index: measure it with tests/relevance/levers.sh" >&2; exit 2 ;;
    esac
  done
done

for p in src/TextSearch.Server tests/TextSearch.Relevance; do
  dotnet build -c Release "$p" > "$out/build.log" 2>&1 || { echo "build failed: see $out/build.log" >&2; exit 1; }
done
server=src/TextSearch.Server/bin/Release/net10.0/TextSearch.Server.dll
eval_dll=tests/TextSearch.Relevance/bin/Release/net10.0/textsearch-eval.dll
pid=

# measure runs in a command substitution, where the EXIT trap does not reach: it stops its server on every path.
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi; }
trap stop EXIT

# Starts the server on POOL's index with the given settings and waits until it answers.
start() {
  local pool=$1; shift
  dotnet "$server" --TextSearch:IndexPath "$out/index-$pool" --TextSearch:SeedsPath "" --TextSearch:HttpUrl none \
    --urls http://127.0.0.1:5931 --Logging:LogLevel:Default Warning "$@" > "$out/server-$pool.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null --http2-prior-knowledge http://127.0.0.1:5931; then
      return 0
    fi
    sleep 0.5
  done
  echo "the server did not start: see $out/server-$pool.log" >&2
  stop
  exit 1
}

# One pool's MRR@10 / R@1 / R@5 / R@10 / nDCG@10 for a variant; indexes the pool first if OUTDIR has no index of it.
measure() {
  local pool=$1 distractors=$2 name=$3; shift 3
  local indexed=(--indexed)
  [ -d "$out/index-$pool" ] || indexed=()
  start "$pool" "$@"
  dotnet "$eval_dll" --qa "$QA" --distractors "$distractors" --baseline none --server http://127.0.0.1:5931 "${indexed[@]}" \
    --name "$name" --ranks "$out/ranks-$pool-${name// /_}.tsv" 2> "$out/eval.log" | grep "^| $name |" | cut -d'|' -f3-7 \
    || { echo "the evaluation failed: see $out/eval.log" >&2; stop; exit 1; }
  stop
}

echo "| Settings | Articles MRR@10 | R@1 | R@5 | R@10 | nDCG@10 | Passages MRR@10 | R@1 | R@5 | R@10 | nDCG@10 |" | tee "$out/sweep.md"
echo "|---|---|---|---|---|---|---|---|---|---|---|" | tee -a "$out/sweep.md"
for variant in "$@"; do
  sets=()
  for s in $variant; do
    key=${s%%=*}; [[ $key == *:* ]] || key=TextSearch:Ranking:$key
    sets+=("--$key" "${s#*=}")
  done
  name=${variant:-as is}
  a=$(measure articles "$ARTICLES" "$name" "${sets[@]}")
  p=$(measure passages "$PASSAGES" "$name" "${sets[@]}")
  echo "| $name |$a|$p|" | tee -a "$out/sweep.md"
done
