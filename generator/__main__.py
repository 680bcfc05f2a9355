"""`python -m generator`: the CLI, or one line saying how to install what it needs."""

import sys

try:
    from .cli import main

    main()
except ModuleNotFoundError as error:
    if not error.name or error.name.partition(".")[0] == __package__:
        raise  # our own module missing is a bug, not a set-up step
    sys.exit(
        f"Error: {error.name!r} is not installed for {sys.executable}: run 'make generate', "
        "which creates .venv with every dependency, then '.venv/bin/python -m generator'"
    )
