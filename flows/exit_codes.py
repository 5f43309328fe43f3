"""The exit codes of the `whitepaper` command (README, *Exit codes*)."""

EXIT_OK = 0
EXIT_FINDINGS = 1  # only with --fail-on
EXIT_BAD_INPUT = 2  # bad usage or at least one unreadable input
EXIT_LOCKED = 3  # another run kept the same output folder for longer than --wait
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
EXIT_TERMINATED = 143  # SIGTERM (128 + SIGTERM)
