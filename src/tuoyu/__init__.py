"""tuoyu — the platform a Chinese county, city or province runs its childcare service system on."""

__version__ = "0.1.0"
