"""moto's server with two of its DynamoDB costs brought to DynamoDB's order, for benches only.

Both change how long moto takes, never what it answers:

- Query on a table's own key builds, sorts and filters a list of every item
  in the table (`Table.all_items`) to keep one partition: O(table) per call,
  where DynamoDB reads one partition. Here the no-index path reads only the
  partition (`Table.items[hash_key]`); the query then filters and sorts it by
  the range key exactly as before.
- TransactWriteItems deep-copies a table once per action that names it (100
  copies of the whole table for a 100-action transaction) as the backup it
  restores on failure; nothing changes the table between those copies, so
  one copy per table per transaction is the same backup.

The transaction's single backup copy is still O(table): benches that write
many transactions into a large table still grow with it (bench/hold says so).
Tests never use this server: they run moto as it is (scripts/standins.sh).

    .venv/bin/python bench/support/moto_server_for_benches.py -H 127.0.0.1 -p 4571
"""

import copy
import threading

from moto import server
from moto.dynamodb import models
from moto.dynamodb.models import table as table_module

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


class _OneCopyPerTable:
    """`copy` for moto's DynamoDB module: deepcopy memoised per object within one transaction."""

    def __getattr__(self, name):
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value, *args):
        memo = getattr(_local, "copies", None)
        if memo is None or not isinstance(value, table_module.Table):
            return copy.deepcopy(value, *args)
        if id(value) not in memo:
            memo[id(value)] = copy.deepcopy(value)
        return memo[id(value)]


def _transact_one_copy(self, transact_items):
    _local.copies = {}
    try:
        return _transact(self, transact_items)
    finally:
        _local.copies = None


table_module.Table.all_items = _partition_or_all_items
table_module.Table.query = _query_partition
models.copy = _OneCopyPerTable()
models.DynamoDBBackend.transact_write_items = _transact_one_copy

if __name__ == "__main__":
    server.main()
