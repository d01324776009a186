"""Domains: the work the platform does, each in its own package beside the others.

A domain declares its acts (``actions``) and its URLs, menu entries and home panels (``manifest``)
in its own folder; the kernel finds them (``tuoyu.kernel.manifest``). Domains never import each other.
"""
