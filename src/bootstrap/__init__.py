"""The composition root and entry points: the dependency-injector container, ``Client`` and
``AsyncClient`` (``facade``), ``create_app`` (``http``), the CLI (``cli``). The public names are
re-exported, lazily, by the package root: ``from switchboard import Client``."""
