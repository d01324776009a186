"""Outbreak detection over morning and midday checks (晨午检, P18; NATIONAL.md "Health and infectious
disease"): the thresholds a profile sets, applied to check rows, as alerts with their reporting day.

Public API (the ``tuoyu outbreak`` command uses only this):

- data: ``Check`` rows or ``Checks`` columns in; ``Alert`` (with its ``Rule``) out;
  ``OutbreakInputError`` for rows or a profile the engine cannot use.
- ``scan(checks, profile, until=None)`` → the alerts, sorted; how windows are judged, counted and
  merged is the docstring of ``outbreak.scan`` and ``outbreak.windows``.
- ``rules_on(profile, day)`` → the rules in force, with their Chinese wording and sources; how
  "similar symptoms" are judged is the docstring of ``outbreak.rules``.
- ``csvio``: the command's files, ``read_checks`` and ``alerts_csv``.

Pure Python and NumPy; no Django.
"""

from tuoyu.engines.outbreak.model import Alert, Check, Checks, OutbreakInputError, Rule
from tuoyu.engines.outbreak.rules import rules_on
from tuoyu.engines.outbreak.scan import scan

__all__ = ["Alert", "Check", "Checks", "OutbreakInputError", "Rule", "rules_on", "scan"]
