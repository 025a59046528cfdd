"""The ``verify`` command line: one module per sub-command, wired together in :mod:`.main`."""
