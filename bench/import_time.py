"""Prints how long ``from switchboard import Client`` takes in a fresh interpreter (best of 5), and
how long a first ``Client()`` (default configuration) takes on top."""

from __future__ import annotations

import subprocess
import sys
import time


def once(statement: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)
    return time.perf_counter() - start


def main() -> None:
    bare = min(once("pass") for _ in range(5))
    facade = min(once("from switchboard import Client") for _ in range(5))
    first = min(once("from switchboard import Client; Client()") for _ in range(3))
    server = min(once("from switchboard.bootstrap.http import create_app") for _ in range(3))
    print(f"interpreter start            {bare * 1000:7.1f} ms")
    print(f"from switchboard import Client {facade * 1000:7.1f} ms  (+{(facade - bare) * 1000:.1f} ms over start)")
    print(f"... and a first Client()     {first * 1000:7.1f} ms  (loads the use cases and the container)")
    print(f"server stack (create_app)    {server * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
