"""``python -m bot.cli``: the ``steunwijzer`` command."""

from bot.cli import main

main()
