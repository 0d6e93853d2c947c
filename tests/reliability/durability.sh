#!/usr/bin/env bash
# The long durability run: DurabilityTests with many SIGKILL/restart cycles (default 200; the copy in `dotnet test`
# runs 20). Usage: tests/reliability/durability.sh [CYCLES]. DURABILITY_MIN_DELAY_MS, DURABILITY_MAX_DELAY_MS,
# DURABILITY_WRITERS and DURABILITY_SEED pass through (see tests/TextSearch.Server.Tests/DurabilityTests.cs).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DURABILITY_CYCLES=${1:-${DURABILITY_CYCLES:-200}}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "durability: $DURABILITY_CYCLES cycles"
exec dotnet test tests/TextSearch.Server.Tests --filter "FullyQualifiedName~TextSearch.Server.Tests.DurabilityTests" \
  --logger "console;verbosity=detailed"
