from tuoyu.commands.region_io import run_population as run

__all__ = ["run"]
