"""`python -m pipeline` is the `commonground` command."""
import sys

from .cli import main

sys.exit(main())
