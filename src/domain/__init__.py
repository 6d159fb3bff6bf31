"""The core of Switchboard: canonical values, errors, policies and ports. No framework, no I/O."""
