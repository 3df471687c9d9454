"""Browser sessions that last (issue 18, decision 0017): the identity provider's refresh token,
sealed (AES-GCM under a key derived from the session secret, bound to the session), and the end
of the access grant, which a silent refresh moves, never past the session's absolute end
(berakhir_pada). Both nullable: sessions from before keep working as they did."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('shared', '0010_pemberitahuan_api_client')]

    initial = False

    operations = [
        ops.AddField(
            model_name='SesiBrowser',
            name='refresh_token_sealed',
            field=fields.TextField(source_field='refresh_token', null=True, description="The identity provider's refresh token, sealed (AES-GCM, issue 18); null: none was given, or the session ended.", unique=False),
        ),
        ops.AddField(
            model_name='SesiBrowser',
            name='token_expires_at',
            field=fields.DatetimeField(source_field='token_berakhir_pada', null=True, description="End of the access grant (the token's exp, never past berakhir_pada); a refresh moves it.", auto_now=False, auto_now_add=False),
        ),
    ]
