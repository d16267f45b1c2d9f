"""The team server's schema: LeadDesk's models on PostgreSQL, plus what sync needs.

``app`` imports peewee with psycopg hidden (it costs every start 130-420 ms); importing this package hands
peewee what its own import sets up for psycopg 3 when it finds it.
"""

import peewee
import psycopg
from psycopg.pq import TransactionStatus
from psycopg.types.json import Json, Jsonb

if peewee.psycopg is None:
    peewee.psycopg, peewee.TransactionStatus, peewee.Json_pg3, peewee.Jsonb_pg3 = psycopg, TransactionStatus, Json, Jsonb
    _adapter = peewee.Psycopg3Adapter
    _adapter.txn_idle, _adapter.txn_inerror, _adapter.txn_unknown = (
        TransactionStatus.IDLE, TransactionStatus.INERROR, TransactionStatus.UNKNOWN)
