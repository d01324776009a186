"""The kernel: what every domain stands on.

Regions, accounts and access, the audit trail, messaging, and the registry of institutions and of the
people in them (children, guardians, classes, staff). Domains (``tuoyu.domains``) import the kernel
and the engines, never each other; docs/architecture.md shows the layers and how to add a domain.
"""
