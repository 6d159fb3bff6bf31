"""``from bootstrap import Client`` stays cheap: the use cases, pydantic and the server stack load
with the first client, not with the import."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_facade_loads_no_use_case_no_pydantic_and_no_server() -> None:
    code = (
        "import sys; from bootstrap import Client, AsyncClient;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'pydantic', 'application', 'domain', 'litestar', 'aiohttp', 'httpx', 'yaml', 'dependency_injector'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
