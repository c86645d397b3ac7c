import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    ["officerofficer", "OfficerOfficer", "officer-officer", "officer2026officer", "officer123456"],
)
def test_a_password_made_of_the_username_is_refused(password):
    user = UserFactory.build(username="officer")
    with pytest.raises(ValidationError, match="made of your username"):
        validate_password(password, user)


@pytest.mark.parametrize("password", ["summersummer", "abcabcabcabc", "Horse horse horse"])
def test_a_password_of_one_word_repeated_is_refused(password):
    with pytest.raises(ValidationError, match="repeated"):
        validate_password(password, UserFactory.build(username="someoneelse"))


@pytest.mark.parametrize("password", ["officer-keeps-quiet-gates", "correct-horse-battery"])
def test_a_long_password_that_only_contains_the_username_or_a_word_is_accepted(password):
    validate_password(password, UserFactory.build(username="officer"))
