import pytest

from config.kernel.postcodes import postcode_is_valid, postcode_normalise


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("sn101aa", "SN10 1AA"),
        ("SN10  1AA", "SN10 1AA"),
        (" sn10 1aa ", "SN10 1AA"),
        ("nr12ab", "NR1 2AB"),
        ("NR 12AB", "NR1 2AB"),
        ("ec1a1bb", "EC1A 1BB"),
        ("sn10", "SN10"),  # a part postcode is only tidied
        ("not  a postcode", "NOT A POSTCODE"),
        ("", ""),
        (None, ""),
    ],
)
def test_one_normaliser_for_every_postcode(typed, kept):
    assert postcode_normalise(typed) == kept


def test_valid_means_a_full_postcode_however_typed():
    assert postcode_is_valid("sn10 1aa")
    assert not postcode_is_valid("SN10")
    assert not postcode_is_valid("")
