"""Tests for the matching key ``fold`` and ``bidi_isolate``."""

from __future__ import annotations

import pytest

from bot.text.normalize import bidi_isolate, fold


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Arabic hamza forms, harakat, tatweel, taa marbuta, alef maqsura.
        ("أريد أن أموت", "اريد ان اموت"),
        ("إسلام آمن", "اسلام امن"),
        ("مؤلم", "مولم"),
        ("شيء", "شي"),
        ("شئ", "شي"),
        ("مَدْرَسَةٌ", "مدرسه"),
        ("على", "علي"),
        ("سلامـــــ", "سلام"),
        ("ﻻ", "لا"),
        # Persian and Arabic keyboards fold to the same key.
        ("کیف", "كيف"),
        ("خانۀ من", "خانه من"),
        ("۱۲۳ ٤٥٦", "123 456"),
        # Turkish letters, dotted/dotless i.
        ("İSTANBUL", "istanbul"),
        ("Işık", "isik"),
        ("şğıçöü ŞĞÇÖÜ", "sgicou sgcou"),
        ("Kendimi öldüreceğim", "kendimi oldurecegim"),
        ("Tilburg'da", "tilburgda"),
        # Dutch and other accents, ligatures, contractions.
        ("Één café, naïef, ĳs", "een cafe naief ijs"),
        ("m'n moeder, z’n vader", "mn moeder zn vader"),
        ("Straße", "strasse"),
        # Punctuation, emoji and whitespace.
        ("Ik wil NIET meer leven!!!", "ik wil niet meer leven"),
        ("  hoi\t\n  daar  ", "hoi daar"),
        ("café 🙂 ok?", "cafe ok"),
        ("zelf-moord", "zelf moord"),
        ("", ""),
        ("?!…", ""),
        # Repeated letters squeezed to two; digits never squeezed.
        ("heeeelp", "heelp"),
        ("doooood", "dood"),
        ("dood", "dood"),
        ("لاااا", "لاا"),
        ("bel 1111 of 0800", "bel 1111 of 0800"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


@pytest.mark.parametrize(
    "variant",
    ["می‌خواهم", "میخواهم", "می خواهم", "مي خواهم", "ميخواهم", "مى‌خواهم"],
)
def test_persian_mi_prefix_variants_fold_together(variant: str) -> None:
    assert fold(variant) == "ميخواهم"


def test_persian_nemi_prefix_variants_fold_together() -> None:
    keys = {fold(v) for v in ["نمی‌خواهم", "نمیخواهم", "نمی خواهم"]}
    assert keys == {"نميخواهم"}


def test_mi_prefix_only_joined_at_word_start() -> None:
    # "ما می روم" keeps "ما" separate; only the prefix joins the next word.
    assert fold("ما می روم") == "ما ميروم"
    # A word that merely ends in "می" is not a prefix.
    assert fold("گرمی خوب") == "گرمي خوب"


def test_zwnj_inside_word_is_removed() -> None:
    assert fold("خانه‌ها") == "خانهها"


def test_invisible_bidi_controls_removed() -> None:
    assert fold("\u200fسلام\u200e") == "سلام"


def test_fold_is_idempotent() -> None:
    for raw in ["Ik wil NIET meer leven!!!", "می‌خواهم بمیرم", "أريد أن أموت", "Öldüm ğ ı"]:
        once = fold(raw)
        assert fold(once) == once


def test_bidi_isolate_wraps_in_fsi_pdi() -> None:
    wrapped = bidi_isolate("0800-2000")
    assert wrapped == "\u20680800-2000\u2069"
    assert wrapped.startswith("\u2068")
    assert wrapped.endswith("\u2069")


def test_bidi_isolate_empty() -> None:
    assert bidi_isolate("") == ""
