"""``from switchboard import Client`` stays cheap: the use cases, pydantic and the server stack load
with the first client, not with the import."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_facade_loads_no_use_case_no_pydantic_and_no_server() -> None:
    code = (
        "import sys; from switchboard import Client, AsyncClient;"
        "tops = {m.split('.')[0] for m in sys.modules};"
        "layers = {'.'.join(m.split('.')[:2]) for m in sys.modules if m.startswith('switchboard.')};"
        "print(sorted((tops & {'pydantic', 'litestar', 'aiohttp', 'httpx', 'yaml', 'dependency_injector'})"
        " | (layers & {'switchboard.application', 'switchboard.domain'})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_client_without_governance_loads_no_server_and_no_database() -> None:
    # The container declares the server's bundle and governance's SQL side; neither loads until
    # something resolves them.
    code = (
        "import sys; from switchboard import Client;"
        "client = Client(); client.chat(model='mock', messages=[{'role': 'user', 'content': 'hi'}]); client.close();"
        "tops = {m.split('.')[0] for m in sys.modules};"
        "print(sorted(tops & {'litestar', 'uvicorn', 'sqlalchemy', 'alembic', 'redis'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
