"""`python -m search.cli` runs the talksearch command."""

from search.cli import main

main()
