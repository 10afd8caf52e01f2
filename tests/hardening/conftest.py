"""Print how many fuzz cases ran, as the issue asks that the count be recorded."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter) -> None:
    from tests.hardening.fuzz_support import CASES

    if CASES:
        terminalreporter.write_sep("-", "fuzz cases run")
        for name, n in sorted(CASES.items()):
            terminalreporter.write_line(f"{name:>24}: {n}")
        terminalreporter.write_line(f"{'total':>24}: {sum(CASES.values())}")
