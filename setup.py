"""The layers under ``src/`` install as one import root, ``switchboard``: ``src/domain`` becomes
``switchboard.domain``, and so on. The repository keeps the layout of the design; everything else
about the distribution is in ``pyproject.toml``."""

from setuptools import find_packages, setup

setup(
    package_dir={"switchboard": "src"},
    packages=["switchboard", *(f"switchboard.{name}" for name in find_packages("src"))],
)
