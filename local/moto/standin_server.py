"""moto's server as the stand-ins run it: the same answers, less CPU per request.

Two per-request costs of moto 5.2's server that no answer depends on:

- Routing a request lists moto's package directory (`list_of_moto_modules`:
  a listdir and ~150 isdir calls) while holding the dispatcher's lock, so
  every request pays it and requests queue behind it. The package does not
  change while the server runs: the list is read once.
- werkzeug logs every request line to stderr (about a fifth of moto's CPU
  under Trino's listings). Errors are still logged; set
  LOGVAULT_MOTO_REQUEST_LOG=1 to log every request again.

    .venv/bin/python local/moto/standin_server.py -H 127.0.0.1 -p 4566
"""

import functools
import logging
import os

from moto import backends, server

_modules = tuple(backends.list_of_moto_modules())
backends.list_of_moto_modules = functools.lru_cache(maxsize=1)(lambda: _modules)

if os.environ.get("LOGVAULT_MOTO_REQUEST_LOG") != "1":
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

if __name__ == "__main__":
    server.main()
