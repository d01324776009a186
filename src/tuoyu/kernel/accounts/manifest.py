from tuoyu.kernel.manifest import Manifest

MANIFEST = Manifest(urls="tuoyu.kernel.accounts.urls", url_prefix="accounts/")
