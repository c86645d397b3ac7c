"""Where residents' private files are kept."""

from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """Licences, photos and evidence hold personal data: never under a public URL (no
    base_url); served only by permission-checking views."""
    # No location: it follows settings.MEDIA_ROOT. Nothing serves MEDIA_ROOT over HTTP.
    return FileSystemStorage()
