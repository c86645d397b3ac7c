# Evidence and letters on the kernel's PrivateFileField (the same private storage): no database change.

import config.kernel.files
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('allocations', '0006_roles_casework'),
    ]

    operations = [
        migrations.AlterField(
            model_name='evidencedocument',
            name='file',
            field=config.kernel.files.PrivateFileField(upload_to='evidence/%Y/%m/', verbose_name='file'),
        ),
        migrations.AlterField(
            model_name='letter',
            name='file',
            field=config.kernel.files.PrivateFileField(blank=True, upload_to='letters/%Y/%m/', verbose_name='PDF'),
        ),
    ]
