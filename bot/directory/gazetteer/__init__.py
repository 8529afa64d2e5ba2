"""Gazetteer: from what people type ("Lahey'de", "لاهه", "Rotterdm", "3512 AB") to a municipality.

Reference data lives in ``bot/directory/data``:

* ``municipalities.yml``: CBS code, official name, province, region and aliases per language:
  other spellings, nicknames and the municipality's towns and villages ("Hoofddorp", "زاندام").
* ``postcodes.csv``: ``pc4,municipality_code`` for the demo regions only (Amsterdam, Rotterdam,
  's-Gravenhage, Utrecht, Tilburg, Eindhoven, Groningen, Schiedam, Delft). A full national table
  (CBS "postcode-huisnummer-gemeente" or any ``pc4,gemeentecode`` export) is loaded with
  :func:`import_postcodes` / ``steunwijzer`` import commands; the bundled file never overwrites it.

:func:`load_reference_data` upserts all of it into the ``municipality``, ``municipality_alias`` and
``postcode`` tables (called by ``steunwijzer db upgrade`` and the test fixtures).
:class:`Gazetteer` is an immutable in-memory index built from those tables once and shared
between requests; :meth:`Gazetteer.resolve` handles a whole answer ("where do you live?"),
:meth:`Gazetteer.find_in_text` finds a place inside a sentence.

Matching happens on :func:`bot.text.normalize.fold` keys, so "'s-Gravenhage", "s gravenhage",
"أمستردام" and "امستردام" compare equal regardless of case, diacritics, hamza or keyboard.

One module per job: ``reference`` (the bundled data and loading it), ``postcode_import`` (a
full postcode table), ``index`` (the :class:`Gazetteer`), ``inflection`` (endings and prefixes
per language) and ``cues`` (the words around a place name).
"""

from bot.directory.gazetteer.index import (
    FUZZY_CUTOFF,
    FUZZY_MIN_LENGTH,
    Gazetteer,
    MatchMethod,
    PlaceMatch,
    resolve_place,
)
from bot.directory.gazetteer.postcode_import import (
    PostcodeImportError,
    PostcodeRowError,
    import_postcodes,
)
from bot.directory.gazetteer.reference import (
    DATA_DIR,
    MUNICIPALITIES_FILE,
    POSTCODES_FILE,
    MunicipalityRecord,
    bundled_municipalities,
    bundled_postcodes,
    load_reference_data,
)

__all__ = [
    "DATA_DIR",
    "FUZZY_CUTOFF",
    "FUZZY_MIN_LENGTH",
    "MUNICIPALITIES_FILE",
    "POSTCODES_FILE",
    "Gazetteer",
    "MatchMethod",
    "MunicipalityRecord",
    "PlaceMatch",
    "PostcodeImportError",
    "PostcodeRowError",
    "bundled_municipalities",
    "bundled_postcodes",
    "import_postcodes",
    "load_reference_data",
    "resolve_place",
]
