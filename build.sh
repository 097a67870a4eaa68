#!/usr/bin/env bash
# The two commands a newcomer needs:
#   ./build.sh run    runs two bots talking over the in-process broker (memory://), no server needed
#   ./build.sh test   runs every test, against a real nats-server it starts on 127.0.0.1
#   ./build.sh pack   packs Ana.Contracts (nupkg + snupkg) into artifacts/packages
#   ./build.sh aot    publishes samples/EchoBot, HostedAgents and StreamingWriter with NativeAOT, runs them over nats-server, prints size and startup time
#   ./build.sh bench  runs the benchmarks of docs/performance.md (--smoke: a seconds-long run that only proves they work)
#   ./build.sh format checks the style of .editorconfig (--fix: applies it)
#   ./build.sh soak   1,000,000 mixed calls at concurrency 64 over nats-server: heap, server subscriptions and
#                     statistics before and after; then 10,000 streams of 100 items and 1,000 streams stopped mid-way
#                     (docs/reliability.md; ./build.sh test runs 50,000 calls and 1,000 streams)
set -euo pipefail
cd "$(dirname "$0")"

ensure_nats_server() {
  if [ -n "${ANA_NATS_URL:-}" ] || [ "${ANA_SKIP_NATS:-}" = "1" ]; then return; fi
  if command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ]; then return; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "nats-server is missing: installing Debian's package"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
  else
    echo "nats-server is missing. Install it (Debian/Ubuntu: sudo apt-get install nats-server," >&2
    echo "or a release from https://github.com/nats-io/nats-server), or set ANA_NATS_URL to a running server." >&2
    exit 1
  fi
}

ensure_clang() {
  # NativeAOT links with clang on Linux.
  if command -v clang >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "clang (needed by NativeAOT) is missing: installing Debian's package"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
  else
    echo "clang is missing: NativeAOT needs it (Debian/Ubuntu: sudo apt-get install clang)." >&2
    exit 1
  fi
}

run_tests() {
  ensure_nats_server
  local log status passed failed skipped
  log=$(mktemp)
  set +e
  dotnet test Ana.Contracts.sln -c Release --nologo "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  rm -f "$log"
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  echo "$passed passed, $failed failed, $skipped skipped"
  return "$status"
}

case "${1:-}" in
  run) shift; dotnet run --project samples/TwoBotDialogue -c Release -- "$@" ;;
  test) shift; run_tests "$@" ;;
  pack) shift; for p in src/Ana src/Ana.Hosting; do dotnet pack "$p" -c Release -o artifacts/packages --nologo "$@" || exit 1; done ;;
  aot)
    shift; ensure_clang; ensure_nats_server
    ANA_AOT_TESTS=1 dotnet test tests/Ana.Package.Tests -c Release --nologo --filter Category=Aot \
      --logger "console;verbosity=detailed" "$@" ;;
  format)
    shift
    if [ "${1:-}" = "--fix" ]; then
      dotnet format Ana.Contracts.sln --severity warn --exclude tests/Ana.Contracts.Generator.Tests/Snapshots/
    else
      dotnet format Ana.Contracts.sln --severity warn --exclude tests/Ana.Contracts.Generator.Tests/Snapshots/ --verify-no-changes
    fi ;;
  soak)
    # SoakTests and StreamSoakTests (tests/Ana.Contracts.Tests/Reliability/) with the counts in ANA_SOAK_CALLS and
    # ANA_STREAM_SOAK_STREAMS; net10.0 only.
    shift; ensure_nats_server
    ANA_SOAK_CALLS="${1:-1000000}" ANA_STREAM_SOAK_STREAMS="${2:-10000}" dotnet test tests/Ana.Contracts.Tests -c Release --nologo -f net10.0 \
      --filter "FullyQualifiedName~Reliability.SoakTests|FullyQualifiedName~Reliability.StreamSoakTests" --logger "console;verbosity=detailed" ;;
  bench)
    shift; ensure_nats_server
    dotnet run --project tests/Ana.Benchmarks -c Release -- "$@" ;;
  *) echo "usage: ./build.sh run | test [dotnet test options] | pack | aot | format [--fix] | bench [wire|peers|streams|durable|serialization|generator|all] [--smoke] [--out FILE] | soak [CALLS [STREAMS]]" >&2; exit 2 ;;
esac
