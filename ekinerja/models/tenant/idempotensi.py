"""Idempotency keys of API clients' mutations, in the tenant's schema: the row is written in
the transaction of the mutation it guards, so it exists exactly when the mutation committed
(decision 0015)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class IdempotencyKey(Model):
    """One `Idempotency-Key` of one API client, with the request it answered and the response
    it gave. Inserted before the mutation runs (the unique index makes a concurrent twin wait);
    the response is filled in before commit. Rows older than the TTL are ignored and taken over
    by the next request with the same key; nothing deletes them (a WHERE on age is enough)."""

    id = fields.BigIntField(primary_key=True)
    client_id = fields.CharField(max_length=255, description="The API client that sent it.")
    key = fields.CharField(
        max_length=200, description="The Idempotency-Key header as sent.", source_field="kunci"
    )
    request_hash = fields.CharField(
        max_length=64, description="SHA-256 of the canonical JSON of document, name, variables."
    )
    response_status = fields.IntField(null=True, description="Null only before commit.")
    response_body = fields.TextField(null=True, description="The JSON body exactly as sent.")
    dibuat_pada = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "idempotency_key"
        unique_together = (("client_id", "key"),)
