"""``python -m cli``: the ``coach`` command run by this interpreter, wherever its venv lives."""

from cli.main import main

main()
