from tuoyu.commands.ledger_io import run_import as run

__all__ = ["run"]
