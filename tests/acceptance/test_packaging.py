"""The wheel as a user installs it: one import root, ``switchboard``, that lives next to a project
with its own ``domain/`` package; the facade answers and ``switchboard serve`` serves from it.

The wheel is built from this checkout and installed, without its dependencies, into a fresh
virtual environment; the dependencies come from the test environment's site-packages through a
path file (nothing is downloaded). The test environment has no ``switchboard`` package on a path
of its own (its editable install is an import hook, which a path file does not load), so every
``switchboard`` module imported there comes from the installed wheel.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.processes import serving

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.server


@dataclass(frozen=True)
class Installed:
    wheel: Path
    python: Path
    bin: Path
    project: Path  # a user's project, with its own `domain` package


def _run(*command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("packaging")
    _run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", base / "dist", ROOT, cwd=base)
    [wheel] = (base / "dist").glob("switchboard_gateway-*.whl")
    venv.EnvBuilder(with_pip=True).create(base / "venv")
    python = base / "venv" / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel)
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    (Path(purelib) / "dependencies-from-the-test-environment.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    project = base / "project"
    (project / "domain").mkdir(parents=True)
    (project / "domain" / "__init__.py").write_text("OWNER = 'the user'\n", encoding="utf-8")
    return Installed(wheel, python, base / "venv" / "bin", project)


def _user_env(installed: Installed) -> dict[str, str]:
    """The user's project first on the path, as in their own code; no configuration of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SWITCHBOARD_", "DATABASE_URL", "REDIS_URL"))}
    return {**env, "PYTHONPATH": str(installed.project)}


def test_the_wheel_installs_one_top_level_package(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        tops = {name.split("/")[0] for name in wheel.namelist()}
        names = set(wheel.namelist())

    assert {top for top in tops if not top.endswith(".dist-info")} == {"switchboard"}
    assert {"switchboard/py.typed", "switchboard/domain/chat.py", "switchboard/bootstrap/cli.py"} <= names
    assert any(name.endswith("migrations/script.py.mako") for name in names)


def test_the_facade_answers_next_to_a_users_own_domain_package(installed: Installed) -> None:
    code = (
        "import json, domain, switchboard;"
        "from switchboard import Client;"
        "answer = Client().chat(model='mock', messages=[{'role': 'user', 'content': 'hello'}]);"
        "print(json.dumps({'domain': domain.OWNER, 'from': switchboard.__file__,"
        " 'version': switchboard.__version__, 'text': answer.text}))"
    )

    out = json.loads(_run(installed.python, "-c", code, cwd=installed.project, env=_user_env(installed)))

    assert out["domain"] == "the user"
    assert out["from"].startswith(str(installed.python.parent.parent))  # the wheel, not this checkout
    assert out["version"] in installed.wheel.name
    assert out["text"]


def test_switchboard_serve_runs_from_the_installed_wheel(installed: Installed, tmp_path: Path) -> None:
    command = [str(installed.bin / "switchboard"), "serve"]
    with serving(command, tmp_path / "serve.log", cwd=installed.project, env=_user_env(installed)) as gateway:
        answer = httpx.post(
            f"{gateway.url}/v1/chat/completions",
            json={"model": "mock", "messages": [{"role": "user", "content": "hello"}]},
            timeout=30,
        )

    assert answer.status_code == 200, answer.text
    assert answer.json()["choices"][0]["message"]["content"]
