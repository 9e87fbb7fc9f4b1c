"""moto's server with two of its DynamoDB costs brought to DynamoDB's order, for benches only.

It starts from the stand-ins' server (local/moto/standin_server.py: moto's
module list read once, no request-line logging), as every request here pays
those costs too.

Both change how long moto takes, never what it answers:

- Query on a table's own key builds, sorts and filters a list of every item
  in the table (`Table.all_items`) to keep one partition: O(table) per call,
  where DynamoDB reads one partition. Here the no-index path reads only the
  partition (`Table.items[hash_key]`); the query then filters and sorts it by
  the range key exactly as before.
- TransactWriteItems deep-copies every table it names, once per action (100
  copies of the whole table for a 100-action transaction), as the backup it
  restores on failure: O(table) per transaction, so writing 100,000 pending
  memberships took hours. A transaction changes only the items its actions
  name, so here the backup is those items' prior state (absent or a deep
  copy), put back on every failure moto rolls back on.

And one path for setup that is not what a bench measures:

- POST /_bench/seed-objects with JSON {"account", "bucket", "keys", "body"}
  writes one object per key through moto's own S3 backend (the bucket's
  default Object Lock retention and a SHA-256 checksum, as a PutObject with
  ChecksumAlgorithm SHA256 gets) and answers {"versions": [...]} in key
  order: no HTTP request, signature or XML per object.

Tests never use this server: they run moto as it is (scripts/standins.sh).

    .venv/bin/python bench/support/moto_server_for_benches.py -H 127.0.0.1 -p 4571
"""

import base64
import copy
import hashlib
import json
import os
import sys
import threading

from moto import server
from moto.dynamodb import models
from moto.dynamodb.models import table as table_module
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.s3.models import s3_backends

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "local", "moto"))
import standin_server  # noqa: E402,F401  (its per-request savings apply on import)

_local = threading.local()
_all_items = table_module.Table.all_items
_query = table_module.Table.query
_transact = models.DynamoDBBackend.transact_write_items


def _partition_or_all_items(self):
    partition = getattr(_local, "partition", None)
    if partition is not None and partition[0] is self:
        return list(partition[1].values())
    return _all_items(self)


def _query_partition(self, hash_key, *args, **kwargs):
    index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
    if index_name is not None or hash_key is None or not self.range_key_attr:
        return _query(self, hash_key, *args, **kwargs)
    # .get: indexing the defaultdict would create an empty partition.
    _local.partition = (self, self.items.get(hash_key, {}))
    try:
        return _query(self, hash_key, *args, **kwargs)
    finally:
        _local.partition = None


class _NoTableCopies:
    """`copy` for moto's DynamoDB module: within a transaction a table's "backup" is the table itself."""

    def __getattr__(self, name):
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value, *args):
        if getattr(_local, "in_transaction", False) and isinstance(value, table_module.Table):
            return value
        return copy.deepcopy(value, *args)


def _named_items(backend, transact_items):
    """(table, hash, range, prior item or None) for every item the transaction's actions name."""
    named = []
    for action in transact_items:
        for op_type, op in action.items():
            table = backend.tables.get(op.get("TableName"))
            attrs = op.get("Item") if op_type == "Put" else op.get("Key")
            if table is None or not attrs or table.hash_key_attr not in attrs:
                continue
            hash_value = DynamoType(attrs[table.hash_key_attr])
            range_value = (
                DynamoType(attrs[table.range_key_attr])
                if table.range_key_attr and table.range_key_attr in attrs
                else None
            )
            prior = table.get_item(hash_value, range_value)
            named.append((table, hash_value, range_value, copy.deepcopy(prior)))
    return named


def _put_back(named):
    for table, hash_value, range_value, prior in reversed(named):
        if prior is None:
            table.delete_item(hash_value, range_value)
        elif range_value is not None:
            table.items[hash_value][range_value] = prior
        else:
            table.items[hash_value] = prior


def _transact_with_item_backup(self, transact_items):
    named = _named_items(self, transact_items)
    _local.in_transaction = True
    try:
        return _transact(self, transact_items)
    except Exception:
        # moto restores its table "backups" (the tables themselves) and raises; undo the writes.
        _put_back(named)
        raise
    finally:
        _local.in_transaction = False


def _seed_objects(request):
    backend = s3_backends[request["account"]]["aws"]
    bucket = backend.get_bucket(request["bucket"])
    body = request["body"].encode()
    checksum = base64.b64encode(hashlib.sha256(body).digest()).decode()
    versions = []
    for key in request["keys"]:
        default_lock = bucket.object_lock_enabled and bucket.has_default_lock
        written = backend.put_object(
            request["bucket"],
            key,
            body,
            lock_mode=bucket.default_lock_mode if default_lock else None,
            lock_until=bucket.default_retention() if default_lock else None,
            checksum_value=checksum,
            disable_notification=True,
        )
        written.checksum_algorithm = "SHA256"
        versions.append(written.version_id)
    return versions


def _with_seeding(app):
    def wsgi(environ, start_response):
        if environ.get("PATH_INFO") != "/_bench/seed-objects":
            return app(environ, start_response)
        size = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            request = json.loads(environ["wsgi.input"].read(size))
            status, answer = "200 OK", {"versions": _seed_objects(request)}
        except Exception as error:  # the bench prints it: a wrong bucket or account, a bad body
            status, answer = "400 Bad Request", {"error": f"{type(error).__name__}: {error}"}
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(answer).encode()]

    return wsgi


table_module.Table.all_items = _partition_or_all_items
table_module.Table.query = _query_partition
models.copy = _NoTableCopies()
models.DynamoDBBackend.transact_write_items = _transact_with_item_backup
# server.main builds its app with this name at call time: the seeding path wraps it.
_dispatcher = server.DomainDispatcherApplication
server.DomainDispatcherApplication = lambda *args: _with_seeding(_dispatcher(*args))

if __name__ == "__main__":
    server.main()
