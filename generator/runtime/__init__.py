"""The runtime every generated package carries: ordinary modules, type-checked and
tested here, and copied into each package with a header line (see `render.runtime`).

`_base_client` and `_errors` serve the clients; `_server_runtime` and `_fake` the
generated server and its in-memory fake.
"""
