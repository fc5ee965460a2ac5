"""``python -m dyadwatch`` runs the command line."""

from dyadwatch.surfaces.cli import main

main()
