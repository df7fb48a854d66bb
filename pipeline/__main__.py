"""`python -m pipeline` runs the plp command line."""

from .cli import main

main()
