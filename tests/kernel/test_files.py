from django.core.files.uploadedfile import SimpleUploadedFile

from config.kernel.files import PrivateFileField, private_storage, upload_keep
from projects.models import TaskAttachment


def test_a_private_file_field_cannot_be_given_another_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    field = PrivateFileField("file", upload_to="x/", storage="somewhere.public")
    assert field.storage.location == private_storage().location == str(tmp_path)
    assert "storage" not in field.deconstruct()[3]


def test_an_upload_is_kept_under_a_random_name_with_the_type_found_in_its_bytes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("Smith tenancy 12 High St.pdf", b"%PDF-1.4 x")
    upload.detected_content_type = "application/pdf"
    attachment = TaskAttachment()
    assert upload_keep(attachment.file, upload) == "application/pdf"
    assert attachment.file.name.endswith(".pdf")
    assert "Smith" not in attachment.file.name
    assert (tmp_path / attachment.file.name).read_bytes() == b"%PDF-1.4 x"
