"""The configuration file: LiteLLM's proxy YAML format, validated with precise messages.

``problems`` (the leaf), ``schema`` and its sections, ``loader`` (reading, ``os.environ/``
references, schema validation), the pure interpretations of sections (``routing``, ``callbacks``,
``extras``), and ``check`` on top (``check_config``, ``load_config``). Import from the module that
holds a name.
"""
