#!/usr/bin/env bash
# `make bench`: the gateway against the side-by-side harness in ../shared/bench (mock upstream,
# LiteLLM's proxy when installed, h2load), then the facade's import time and in-process overhead.
#
#   SHARED_BENCH=../shared/bench  DURATION=10  CONNS=1,8,32  STREAM_CONNS=8,32  ROUNDS=1  make bench
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
shared="${SHARED_BENCH:-$root/../shared/bench}"
out="${BENCH_OUT:-$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}"
py="$root/.venv/bin/python"

if [[ ! -x "$shared/compare.sh" ]]; then
  echo "no benchmark harness at $shared (set SHARED_BENCH)" >&2
  exit 2
fi
# h2load and LiteLLM's proxy (its own venv) come from the harness's setup script, run once.
if ! command -v h2load >/dev/null || [[ ! -x "${LITELLM_VENV:-$HOME/.cache/bench-litellm-venv}/bin/litellm" ]]; then
  "$shared/setup-litellm.sh"
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"  # absolute: the gateway's database path must not depend on its working directory
# Each run writes its spend rows to a fresh database of its own, so runs do not slow each
# other down through an ever larger table (and nothing lands in the working tree). Only the
# gateway gets it: LiteLLM would read DATABASE_URL too.
# Migrated beforehand, as production does it (`switchboard db upgrade`): a gateway that runs the
# migrations itself at start holds their memory (about 10 MB) for its life.
DATABASE_URL="sqlite:///$out/switchboard.db" "$root/.venv/bin/switchboard" db upgrade >/dev/null
gateway="DATABASE_URL=sqlite:///$out/switchboard.db exec $root/.venv/bin/switchboard serve --host 127.0.0.1 --port {port} --config $here/gateway.yaml --log-level warning"

"$shared/compare.sh" \
  --b-name switchboard --b-port 4100 --b-model mock --b-key sk-bench \
  --b-cmd "$gateway" \
  --conns "${CONNS:-1,8,32}" --stream-conns "${STREAM_CONNS:-8,32}" \
  --duration "${DURATION:-10}" --rounds "${ROUNDS:-1}" --out "$out/gateway"

echo
echo "# the same gateway against the floor: a bare Litestar + aiohttp passthrough (bench/passthrough.py)"
NO_LITELLM=1 "$shared/compare.sh" \
  --a-name passthrough --a-port 4200 --a-model mock --a-key sk-bench \
  --a-cmd "cd $here && exec $root/.venv/bin/python -m uvicorn --host 127.0.0.1 --port {port} --no-access-log --loop uvloop --http httptools passthrough:app" \
  --b-name switchboard --b-port 4100 --b-model mock --b-key sk-bench \
  --b-cmd "$gateway" \
  --conns "${CONNS:-1,8,32}" --stream-conns "${STREAM_CONNS:-8,32}" \
  --duration "${DURATION:-10}" --rounds "${ROUNDS:-1}" --out "$out/floor"

echo
echo "# the Anthropic Messages and OpenAI Responses doors beside LiteLLM's same routes (bench/doors.py)"
"$py" "$here/doors.py" --duration "${DURATION:-10}" --conns "${DOOR_CONNS:-8,32}" --rounds "${ROUNDS:-1}" --out "$out/doors"

echo
echo "# in-process CPU per request of the gateway's own code (bench/hot_path.py)"
"$py" "$here/hot_path.py" --n 10000 2>/dev/null | tail -1
"$py" "$here/hot_path.py" --n 4000 --stream 2>/dev/null | tail -1

echo
echo "# facade import time (python -c 'from bootstrap import Client'), best of 5"
"$py" "$here/import_time.py"
echo
echo "# in-process facade overhead over a raw aiohttp call, same mock upstream"
"$py" "$here/facade_overhead.py" --harness "$shared"
