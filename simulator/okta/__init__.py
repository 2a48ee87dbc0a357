"""The Okta simulator: a pure provisioning engine (engine.py) and its HTTP transport.

Layers: wire/model/mapping/payloads are values and builders; plan/users/groups/imports
build the plans (re-exported by engine.py); retry.py is the pure 429 policy; transport.py
is the only module doing I/O. Nothing here imports `suites` or `simulator.provider`.
"""
