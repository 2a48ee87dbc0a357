"""The Okta simulator: a pure provisioning engine (engine.py) and its HTTP transport.

Layers: wire/model/mapping/payloads are values and builders; plan/users/groups/imports
build the plans (re-exported by engine.py); retry.py is the pure 429 policy; transport.py
is the only module doing I/O. flows.py runs an Okta flow (fixtures/okta) through any `send`:
flowdata reads it, flowstate/flowtraffic/flowplans make up FlowRun, flowcheck and flowresults
judge its steps, flowcleanup deletes what it created. Nothing here imports `suites` or
`simulator.provider`.
"""
