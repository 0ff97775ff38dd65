"""One rule splits a full name into given and family name, for the new-customer dialog and the
importer alike: the last word (with the small-letter particles before it) is the family name,
or the first word when the name is written family name first."""

from __future__ import annotations

import pytest

from counter.names import split_full_name


@pytest.mark.parametrize(
    ("text", "given", "family"),
    [
        ("Zsófia Erdős", "Zsófia", "Erdős"),
        ("Anna Maria Kovács", "Anna Maria", "Kovács"),
        ("Ayşe Nur Yılmaz", "Ayşe Nur", "Yılmaz"),
        ("Rahul Kumar Sharma", "Rahul Kumar", "Sharma"),
        ("Nguyen Van An", "Nguyen Van", "An"),  # given name first as typed: see family_first
        ("Anna Szabó-Kovács", "Anna", "Szabó-Kovács"),
        ("Jan van der Berg", "Jan", "van der Berg"),
        ("María de la Cruz", "María", "de la Cruz"),
        ("Ahmad bin Said", "Ahmad", "bin Said"),
        ("ayse nur yilmaz", "ayse nur", "yilmaz"),  # small letters throughout: no particles
        ("van Gogh", "van", "Gogh"),  # a given name is always left
        ("Ödön", "Ödön", ""),
        ("  Ödön  ", "Ödön", ""),
        ("  Ayşe   Nur \t Yılmaz  ", "Ayşe Nur", "Yılmaz"),
        ("राहुल शर्मा", "राहुल", "शर्मा"),
        ("", "", ""),
        ("   ", "", ""),
    ],
)
def test_given_name_first(text, given, family):
    assert split_full_name(text) == (given, family)
    assert split_full_name(text).given == given and split_full_name(text).family == family


@pytest.mark.parametrize(
    ("text", "given", "family"),
    [
        ("Kovács Anna", "Anna", "Kovács"),
        ("Kovács Anna Mária", "Anna Mária", "Kovács"),
        ("Nguyen Van An", "Van An", "Nguyen"),
        ("  Tóth   Őrs ", "Őrs", "Tóth"),
        ("Győző", "Győző", ""),
        ("", "", ""),
    ],
)
def test_family_name_first(text, given, family):
    assert split_full_name(text, family_first=True) == (given, family)
