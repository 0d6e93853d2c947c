#!/usr/bin/env bash
# Soak: a Release server on 127.0.0.1 (a free port, never 50051) with a temporary index and the seeds, under
# SOAK_SECONDS (default 60) of mixed load: `textsearch bench --call search` and, in parallel,
# `textsearch bench --call upsert --unique-ids --concurrency 2`. The server's RSS is sampled every second from
# /proc. Fails (exit 1) when either bench run has an error (non-zero exit) or memory is not flat: the average of the
# last 10 s must be within SOAK_RSS_TOLERANCE percent (default 25) of the average over seconds 10-20.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
SECONDS_TOTAL=${SOAK_SECONDS:-60}
TOLERANCE=${SOAK_RSS_TOLERANCE:-25}
DOCS=${SOAK_DOCS:-}
QUERIES=${SOAK_QUERIES:-$ROOT/tests/load/queries.txt}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build -c Release -v q -nologo src/TextSearch.Server >/dev/null
dotnet build -c Release -v q -nologo src/TextSearch.Cli >/dev/null
SERVER_DLL=$ROOT/src/TextSearch.Server/bin/Release/net10.0/TextSearch.Server.dll
CLI_DLL=$ROOT/src/TextSearch.Cli/bin/Release/net10.0/textsearch.dll

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [ "$PORT" = 50051 ]; then PORT=50052; fi
WORK=$(mktemp -d)
URL=http://127.0.0.1:$PORT
SERVER_PID=
SAMPLER_PID=
if [ -z "$DOCS" ]; then
  # The seed articles as JSON lines: title = the file name, body = the text. (Seeds as .txt take their first line as
  # the title, and one seed's first line is over the 4,096-character title limit.)
  DOCS=$WORK/docs.jsonl
  python3 - "$ROOT/seeds" "$DOCS" <<'PY'
import json, pathlib, sys
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for f in sorted(pathlib.Path(sys.argv[1]).glob("*.txt")):
        out.write(json.dumps({"id": f.stem, "title": f.stem, "body": f.read_text(encoding="utf-8"), "source": "soak"}, ensure_ascii=False) + "\n")
PY
fi
cleanup() {
  if [ -n "$SAMPLER_PID" ]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

dotnet "$SERVER_DLL" --urls "$URL" --TextSearch:HttpUrl none --TextSearch:IndexPath "$WORK/index" --TextSearch:SeedsPath "$ROOT/seeds" \
  --Logging:LogLevel:Default Warning >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
cli() { dotnet "$CLI_DLL" --server "$URL" "$@"; }
for _ in $(seq 1 120); do
  if cli --timeout 2 search قسد >/dev/null 2>&1; then break; fi
  kill -0 "$SERVER_PID" || { echo "soak: the server exited"; cat "$WORK/server.log"; exit 1; }
  sleep 0.5
done
cli --timeout 2 search قسد >/dev/null
echo "soak: server pid $SERVER_PID at $URL, ${SECONDS_TOTAL}s of mixed load (docs: $DOCS)"

( while kill -0 "$SERVER_PID" 2>/dev/null; do
    awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || true
    sleep 1
  done ) >"$WORK/rss.kb" &
SAMPLER_PID=$!

set +e
cli bench --call search --queries "$QUERIES" --duration "${SECONDS_TOTAL}s" --concurrency 8 >"$WORK/search.txt" 2>&1 &
SEARCH_PID=$!
cli bench --call upsert --docs "$DOCS" --unique-ids --duration "${SECONDS_TOTAL}s" --concurrency 2 >"$WORK/upsert.txt" 2>&1 &
UPSERT_PID=$!
wait "$SEARCH_PID"; SEARCH_RC=$?
wait "$UPSERT_PID"; UPSERT_RC=$?
set -e
kill "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=

summary() { grep -E '^\s*(Count|Requests/sec|Average|Slowest):|\[(OK|[A-Za-z]+)\]|^Status|^Error' "$1" | sed 's/^/    /' || true; }
echo "search bench: exit $SEARCH_RC"; summary "$WORK/search.txt"
echo "upsert bench: exit $UPSERT_RC"; summary "$WORK/upsert.txt"

status=0
[ "$SEARCH_RC" -eq 0 ] && [ "$UPSERT_RC" -eq 0 ] || { echo "soak: FAIL: a bench run had errors"; tail -n 20 "$WORK/search.txt" "$WORK/upsert.txt" || true; status=1; }

awk -v tol="$TOLERANCE" '
  { rss[NR] = $1 / 1024 }
  END {
    n = NR
    printf "RSS (MB) every 5 s:"
    for (i = 1; i <= n; i += 5) printf " %.0f", rss[i]
    printf "\n"
    if (n < 30) { print "soak: FAIL: only " n " RSS samples"; exit 1 }
    for (i = 11; i <= 20; i++) early += rss[i]
    early /= 10
    for (i = n - 9; i <= n; i++) late += rss[i]
    late /= 10
    change = (late - early) / early * 100
    max = 0; for (i = 1; i <= n; i++) if (rss[i] > max) max = rss[i]
    printf "RSS: %d samples, 10-20 s average %.1f MB, last 10 s average %.1f MB (%+.1f%%, tolerance %d%%), peak %.1f MB\n", n, early, late, change, tol, max
    if (change > tol || change < -tol) { print "soak: FAIL: memory is not flat"; exit 1 }
  }' "$WORK/rss.kb" || status=1

if [ "$status" -eq 0 ]; then echo "soak: PASS"; fi
exit "$status"
