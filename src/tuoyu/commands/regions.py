from tuoyu.commands.region_io import run_regions as run

__all__ = ["run"]
