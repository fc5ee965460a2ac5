"""``python -m dyadwatch`` runs the command line."""

from .cli import main

main()
