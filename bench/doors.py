"""The Messages and Responses doors side by side with LiteLLM's same routes (part of `make bench`).

A mock upstream (bench/door_mock.py) speaks Anthropic Messages and OpenAI Responses; LiteLLM's
proxy (when installed by ../shared/bench/setup-litellm.sh) and the gateway each get one
deployment per door pointing at it, both native passthrough (an Anthropic deployment behind
``/v1/messages``, an OpenAI one behind ``/v1/responses``). h2load sends the same body to the
mock itself, to LiteLLM and to the gateway, interleaved at each load point so a noisy machine
hits all three alike, and the table gives req/s, p50 and p99 latency and the gateway's req/s
over LiteLLM's.

    .venv/bin/python bench/doors.py [--duration 10] [--conns 8,32] [--rounds 1] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LITELLM = Path(os.environ.get("LITELLM_VENV", Path.home() / ".cache" / "bench-litellm-venv")) / "bin" / "litellm"
KEY = "sk-bench"

DOORS: dict[str, tuple[str, dict[str, object]]] = {
    "messages": (
        "/v1/messages",
        {"model": "mock-claude", "max_tokens": 64, "messages": [{"role": "user", "content": "Hello"}]},
    ),
    "responses": ("/v1/responses", {"model": "mock-gpt", "input": "Hello"}),
}
HEADERS = ["Content-Type: application/json", f"Authorization: Bearer {KEY}", "anthropic-version: 2023-06-01"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Target:
    name: str
    port: int


def config(mock: str) -> str:
    """One deployment per door, as both gateways are given it (YAML is a superset of JSON)."""
    return json.dumps(
        {
            "model_list": [
                {
                    "model_name": "mock-claude",
                    "litellm_params": {"model": "anthropic/claude-mock", "api_base": mock, "api_key": "x"},
                },
                {
                    "model_name": "mock-gpt",
                    "litellm_params": {"model": "openai/mock", "api_base": f"{mock}/v1", "api_key": "x"},
                },
            ],
            "general_settings": {"master_key": KEY},
        }
    )


@contextmanager
def process(command: list[str], log: Path, env: dict[str, str] | None = None) -> Iterator[None]:
    with log.open("ab") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        yield
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_ready(target: Target, log: Path, timeout: float = 120) -> None:
    """Until the target answers both doors (a gateway's start-up, a mock's bind)."""
    deadline = time.monotonic() + timeout
    headers = dict(h.split(": ", 1) for h in HEADERS)
    for path, body in DOORS.values():
        while True:
            try:
                if (
                    httpx.post(
                        f"http://127.0.0.1:{target.port}{path}", json=body, headers=headers, timeout=5
                    ).status_code
                    == 200
                ):
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{target.name} does not answer {path}: {log.read_text()[-2000:]}")
            time.sleep(0.3)


def h2load(target: Target, door: str, stream: bool, conns: int, duration: int, tmp: Path) -> dict[str, float]:
    path, body = DOORS[door]
    body_file = tmp / f"{door}-{stream}.json"
    body_file.write_text(json.dumps({**body, "stream": stream}))
    log = tmp / "h2load.log"
    log.unlink(missing_ok=True)
    command = ["h2load", "--h1", "-t1", f"-c{conns}", "-D", str(duration), "-N", "30", "-d", str(body_file)]
    for header in HEADERS:
        command += ["-H", header]
    command += [f"--log-file={log}", f"http://127.0.0.1:{target.port}{path}"]
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=False)
    finished = re.search(r"finished in ([\d.]+)(m?s)", out.stdout)
    if not finished:
        raise RuntimeError(f"h2load output not understood:\n{out.stdout}\n{out.stderr}")
    seconds = float(finished.group(1)) / (1000.0 if finished.group(2) == "ms" else 1.0)
    ok: list[float] = []
    errors = 0
    for line in log.read_text().splitlines() if log.exists() else []:
        parts = line.split()
        if len(parts) >= 3:
            if 200 <= int(parts[1]) < 300:
                ok.append(int(parts[2]) / 1000.0)
            else:
                errors += 1
    ok.sort()

    def pct(p: float) -> float:
        return ok[min(len(ok) - 1, int(len(ok) * p / 100))] if ok else float("nan")

    return {"rps": len(ok) / seconds if seconds else 0.0, "p50": pct(50), "p99": pct(99), "errors": float(errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", "10")))
    parser.add_argument("--conns", default=os.environ.get("DOOR_CONNS", "8,32"))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", "1")))
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-doors-"))
    out.mkdir(parents=True, exist_ok=True)
    out = out.resolve()
    python = sys.executable
    mock = Target("mock", free_port())
    gateway = Target("switchboard", free_port())
    litellm = Target("litellm", free_port()) if LITELLM.exists() else None
    mock_url = f"http://127.0.0.1:{mock.port}"
    (out / "config.yaml").write_text(config(mock_url))
    database = f"sqlite:///{out}/switchboard.db"
    env = {**os.environ, "DATABASE_URL": database}
    subprocess.run(
        [str(Path(python).parent / "switchboard"), "db", "upgrade"], env=env, check=True, capture_output=True
    )
    with ExitStack() as stack:
        stack.enter_context(process([python, str(HERE / "door_mock.py"), "--port", str(mock.port)], out / "mock.log"))
        gateway_command = [str(Path(python).parent / "switchboard"), "serve", "--host", "127.0.0.1"]
        gateway_command += ["--port", str(gateway.port), "--config", str(out / "config.yaml"), "--log-level", "warning"]
        stack.enter_context(process(gateway_command, out / "switchboard.log", env))
        targets = [mock, gateway]
        if litellm is not None:
            litellm_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            litellm_env["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
            litellm_command = [str(LITELLM), "--config", str(out / "config.yaml"), "--host", "127.0.0.1"]
            litellm_command += ["--port", str(litellm.port), "--num_workers", "1"]
            stack.enter_context(process(litellm_command, out / "litellm.log", litellm_env))
            targets = [mock, litellm, gateway]
        else:
            print(
                f"LiteLLM not found at {LITELLM} (../shared/bench/setup-litellm.sh): gateway and mock only",
                file=sys.stderr,
            )
        for target in targets:
            wait_ready(target, out / f"{target.name}.log")
        rows = []
        for door in DOORS:
            for stream in (False, True):
                for conns in [int(c) for c in args.conns.split(",") if c]:
                    figures: dict[str, list[dict[str, float]]] = {t.name: [] for t in targets}
                    for _ in range(args.rounds):
                        for target in targets:
                            figures[target.name].append(h2load(target, door, stream, conns, args.duration, out))
                    rows.append((door, stream, conns, {k: _median(v) for k, v in figures.items()}))
    print(f"\n# doors: {args.duration}s per point, {args.rounds} round(s), results in {out}")
    names = [t.name for t in targets]
    header = f"{'door':<10}{'mode':<8}{'conns':>6}" + "".join(
        f"{n + ' req/s':>18}{'p50 ms':>9}{'p99 ms':>9}" for n in names
    )
    if litellm is not None:
        header += f"{'sb/litellm':>12}"
    print(header)
    for door, stream, conns, by_name in rows:
        line = f"{door:<10}{'stream' if stream else 'json':<8}{conns:>6}"
        for name in names:
            f = by_name[name]
            err = f" ({int(f['errors'])} err)" if f["errors"] else ""
            line += f"{f['rps']:>18.0f}{f['p50']:>9.2f}{f['p99']:>9.2f}{err}"
        if litellm is not None:
            ratio = (
                by_name["switchboard"]["rps"] / by_name["litellm"]["rps"] if by_name["litellm"]["rps"] else float("inf")
            )
            line += f"{ratio:>11.1f}x"
        print(line)


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


if __name__ == "__main__":
    main()
