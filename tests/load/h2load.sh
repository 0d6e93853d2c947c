#!/usr/bin/env bash
# Load-tests textsearch.v1.SearchService/Search with h2load (nghttp2) over h2c.
#
# h2load speaks HTTP/2, not gRPC: it sends the same body on every request and counts HTTP statuses only (a gRPC
# error is still HTTP 200). So the script
#   1. builds the body: one length-prefixed gRPC message (flag byte 0, 4-byte big-endian length, the serialized
#      SearchRequest{query, page_size}), with a small python3 encoder or with `textsearch bench --emit-request`;
#   2. checks it once with curl (or nghttp): HTTP 200, grpc-status 0 in the trailers, a non-empty SearchResponse;
#   3. runs h2load with the gRPC headers and prints its summary;
#   4. checks once more that the server still answers grpc-status 0.
# See tests/load/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: tests/load/h2load.sh [-s URL] [-q QUERY] [-p PAGE_SIZE] [-n REQUESTS] [-c CLIENTS] [-m STREAMS] [-t THREADS]
                            [-e python|cli] [-o BODY_FILE]

  -s URL        server, h2c (default $TEXTSEARCH_SERVER or http://127.0.0.1:50051)
  -q QUERY      the query sent by every request (default قسد)
  -p N          page_size (default 10)
  -n N          total requests (h2load -n, default 10000)
  -c N          clients, i.e. HTTP/2 connections (h2load -c, default 4)
  -m N          concurrent streams per client (h2load -m, default 16)
  -t N          h2load threads (h2load -t, default 1)
  -e ENCODER    how the request body is built: python (python3, the default when it is installed) or cli
                (textsearch bench --emit-request; $TEXTSEARCH_CLI is the command, default
                "dotnet run --project src/TextSearch.Cli --")
  -o FILE       keep the request body in FILE (default: a temporary file, deleted at the end)

h2load comes from the Debian/Ubuntu package nghttp2-client; when it is missing and the script runs as root with
apt-get, the script installs it. Exit code: 0 when both checks pass and h2load reports no failed or errored
request, 1 otherwise, 2 on a usage error.
EOF
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

server=${TEXTSEARCH_SERVER:-http://127.0.0.1:50051}
query='قسد'
page_size=10
requests=10000
clients=4
streams=16
threads=1
encoder=
body=

while getopts ':s:q:p:n:c:m:t:e:o:h' opt; do
    case $opt in
        s) server=$OPTARG ;;
        q) query=$OPTARG ;;
        p) page_size=$OPTARG ;;
        n) requests=$OPTARG ;;
        c) clients=$OPTARG ;;
        m) streams=$OPTARG ;;
        t) threads=$OPTARG ;;
        e) encoder=$OPTARG ;;
        o) body=$OPTARG ;;
        h) usage; exit 0 ;;
        :) echo "h2load.sh: -$OPTARG needs a value" >&2; usage >&2; exit 2 ;;
        *) echo "h2load.sh: unknown option -$OPTARG" >&2; usage >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
    echo "h2load.sh: unexpected argument '$1'" >&2; usage >&2; exit 2
fi

for pair in "page size:$page_size" "requests:$requests" "clients:$clients" "streams:$streams" "threads:$threads"; do
    if ! [[ ${pair#*:} =~ ^[0-9]+$ ]]; then
        echo "h2load.sh: ${pair%%:*} must be a whole number, got '${pair#*:}'" >&2; exit 2
    fi
done
if [ -z "$query" ]; then
    echo "h2load.sh: the query must not be empty" >&2; exit 2
fi
case $server in
    http://*) ;;
    *) echo "h2load.sh: the server must be an http:// (h2c) URL, got '$server'" >&2; exit 2 ;;
esac
server=${server%/}
url="$server/textsearch.v1.SearchService/Search"

if [ -z "$encoder" ]; then
    if command -v python3 >/dev/null 2>&1; then encoder=python; else encoder=cli; fi
fi

# --- h2load --------------------------------------------------------------------------------------------------------
if ! command -v h2load >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "h2load.sh: h2load is not installed; installing nghttp2-client with apt-get" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q nghttp2-client >&2 || { apt-get update -q >&2 && apt-get install -y -q nghttp2-client >&2; }
    else
        echo "h2load.sh: h2load is not installed. Install it: sudo apt-get install nghttp2-client (Debian/Ubuntu)," >&2
        echo "           dnf install nghttp2 (Fedora), brew install nghttp2 (macOS)." >&2
        exit 1
    fi
fi

# --- the request body ----------------------------------------------------------------------------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$body" ]; then
    body="$work/search-request.bin"
fi

case $encoder in
    python)
        # SearchRequest: field 1 query (tag 0x0a, length-delimited UTF-8), field 2 page_size (tag 0x10, varint);
        # a zero page_size is left out, as protobuf does. Then the 5-byte gRPC prefix.
        python3 - "$query" "$page_size" "$body" <<'PY'
import struct, sys

def varint(value):
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)

query = sys.argv[1].encode("utf-8")
page_size = int(sys.argv[2])
message = b"\x0a" + varint(len(query)) + query
if page_size:
    message += b"\x10" + varint(page_size)
with open(sys.argv[3], "wb") as f:
    f.write(b"\x00" + struct.pack(">I", len(message)) + message)
PY
        ;;
    cli)
        read -r -a cli <<<"${TEXTSEARCH_CLI:-dotnet run --project $repo/src/TextSearch.Cli --}"
        page_args=()
        if [ "$page_size" -gt 0 ]; then page_args=(--page-size "$page_size"); fi
        "${cli[@]}" bench --query "$query" "${page_args[@]}" --emit-request "$body" >&2
        ;;
    *)
        echo "h2load.sh: -e must be python or cli, got '$encoder'" >&2; exit 2 ;;
esac

size=$(wc -c <"$body" | tr -d ' ')
echo "request body: $size bytes ($encoder encoder): $(od -An -tx1 -N 16 "$body" | tr -s ' ')$([ "$size" -gt 16 ] && echo ' ...')"

# --- one checked call ----------------------------------------------------------------------------------------------
# curl when it speaks HTTP/2, else nghttp (from the same package as h2load); H2LOAD_CHECK_WITH=curl|nghttp forces one.
checker=${H2LOAD_CHECK_WITH:-}
if [ -z "$checker" ]; then
    if curl -V 2>/dev/null | grep -q 'HTTP2'; then checker=curl; else checker=nghttp; fi
fi

check() {
    local label=$1 headers="$work/headers.txt" response="$work/response.bin" got status message
    : >"$headers"
    if [ "$checker" = curl ]; then
        local code
        code=$(curl -sS --http2-prior-knowledge -X POST --data-binary "@$body" \
            -H 'content-type: application/grpc' -H 'te: trailers' \
            -D "$headers" -o "$response" -w '%{http_code}' --max-time 30 "$url") || {
            echo "$label: FAILED: curl could not call $url" >&2; return 1; }
        if [ "$code" != 200 ]; then
            echo "$label: FAILED: HTTP $code from $url" >&2; return 1
        fi
        got=$(wc -c <"$response" | tr -d ' ')
    else
        # -n discards the body; -v logs every frame and header, trailers included.
        nghttp -n -v -H 'content-type: application/grpc' -H 'te: trailers' -d "$body" "$url" >"$work/nghttp.txt" 2>&1 || {
            echo "$label: FAILED: nghttp could not call $url" >&2; return 1; }
        sed -n 's/^.*recv (stream_id=[0-9]*) \(:status\|grpc-[a-z-]*\): \(.*\)$/\1: \2/p' "$work/nghttp.txt" >"$headers"
        if ! grep -q '^:status: 200' "$headers"; then
            echo "$label: FAILED: no HTTP 200 from $url" >&2; return 1
        fi
        got=$(sed -n 's/^.*recv DATA frame <length=\([0-9]*\).*$/\1/p' "$work/nghttp.txt" | awk '{ s += $1 } END { print s + 0 }')
    fi
    # The trailers come after the headers; a trailers-only error response has grpc-status among the headers.
    status=$(tr -d '\r' <"$headers" | sed -n 's/^grpc-status: *//Ip' | tail -1)
    message=$(tr -d '\r' <"$headers" | sed -n 's/^grpc-message: *//Ip' | tail -1)
    if [ "$status" != 0 ]; then
        echo "$label: FAILED: grpc-status '${status:-missing}' ${message:+($message)}" >&2
        return 1
    fi
    if [ "$got" -le 5 ]; then
        echo "$label: FAILED: grpc-status 0 but an empty response ($got bytes)" >&2
        return 1
    fi
    echo "$label ($checker): OK: HTTP 200, grpc-status 0, a $((got - 5))-byte SearchResponse"
}

check "check before the load" || exit 1

# --- the load ------------------------------------------------------------------------------------------------------
echo "h2load -n $requests -c $clients -m $streams -t $threads -H 'content-type: application/grpc' -H 'te: trailers' -d BODY $url"
out="$work/h2load.txt"
h2load -n "$requests" -c "$clients" -m "$streams" -t "$threads" \
    -H 'content-type: application/grpc' -H 'te: trailers' -d "$body" "$url" >"$out" 2>&1 || true
grep -v -e '^progress:' -e '^spawning thread' -e '^starting benchmark' "$out" | sed '/^$/d'
echo "(h2load counts HTTP statuses; the gRPC status of the same request was checked before and is checked after.)"

check "check after the load" || exit 1

failed=$(sed -n 's/^requests: .* \([0-9]*\) failed, \([0-9]*\) errored.*$/\1 \2/p' "$out")
if [ -z "$failed" ]; then
    echo "h2load.sh: h2load did not report its requests (see above)" >&2
    exit 1
fi
if [ "$failed" != "0 0" ]; then
    echo "h2load.sh: h2load reports failed/errored requests: $failed" >&2
    exit 1
fi
