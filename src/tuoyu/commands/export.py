from tuoyu.commands.ledger_io import run_export as run

__all__ = ["run"]
