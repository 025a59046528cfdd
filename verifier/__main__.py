"""``python -m verifier`` is the ``verify`` command."""

import sys

from verifier.cli.main import main

sys.exit(main())
