"""The runtime every generated package carries: ordinary modules, type-checked and
tested here, and copied into each package with a header line (see `render.runtime`).

`_base_client` and `_errors` serve the clients; `_server_runtime` and `_fake` (with
`_fake_query` and `_fake_samples`) the generated server and its in-memory fake;
`_unified` the `meetings` package. The `*_records` modules hold the records of the
spec's extensions, standard library only: the generator's model builds them, the
generated configuration constructs them, the runtime reads them.
"""
