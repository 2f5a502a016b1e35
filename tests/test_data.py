"""nec.data.load: every table of data/ loads, and each kind of bad file gets its own sentence.

The bad files are written to tmp_path beside a small data dictionary; each row of the table says
what was broken and the sentence (fragment) the loader must produce.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nec import data

DICTIONARY = (
    "column,type,unit,required,allowed,description\n"
    "patient_id,string,,yes,,Row key.\n"
    "n_patients,integer,patients,yes,0..,A count.\n"
    "ki67_pct,number,%,no,0..100,Ki-67 index.\n"
    "site,category,,yes,pancreas|colon,Primary site.\n"
)
GOOD = (
    "patient_id,n_patients,ki67_pct,site\n"
    "p1,12,55,pancreas\n"
    "p2,3,,colon\n"
)


def write(folder: Path, table: bytes | str, dictionary: bytes | str = DICTIONARY,
          name: str = "tiny") -> Path:
    for path, content in ((folder / f"{name}.csv", table),
                          (folder / f"{name}_dictionary.csv", dictionary)):
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
    return folder


def test_a_good_file_loads_with_its_key_as_index(tmp_path):
    frame = data.load("tiny", data_dir=write(tmp_path, GOOD))
    assert list(frame.index) == ["p1", "p2"]
    assert frame.loc["p1", "n_patients"] == 12 and frame.loc["p1", "ki67_pct"] == 55.0
    assert frame.loc["p2", "site"] == "colon"


def test_a_trailing_blank_line_is_not_a_row(tmp_path):
    frame = data.load("tiny", data_dir=write(tmp_path, GOOD + "\n\n"))
    assert len(frame) == 2


@pytest.mark.parametrize("name", data.tables())
def test_every_table_in_data_loads(name):
    assert len(data.load(name)) > 0


def test_tables_lists_the_files_with_a_dictionary():
    names = data.tables()
    assert {"evidence", "case_course", "case_pathology", "regimens"} <= set(names)
    assert not any(n.endswith("_dictionary") for n in names)


# (what is wrong, table bytes, dictionary, sentence fragment the ValueError must contain)
BAD_FILES = [
    ("not UTF-8 (Latin-1 é)",
     "patient_id,n_patients,ki67_pct,site\np1,12,55,pancréas\n".encode("latin-1"), DICTIONARY,
     "tiny.csv is not UTF-8 text (byte 0xe9 on line 2"),
    ("byte-order mark",
     b"\xef\xbb\xbf" + GOOD.encode("utf-8"), DICTIONARY,
     "tiny.csv starts with a byte-order mark"),
    ("semicolon-separated",
     GOOD.replace(",", ";"), DICTIONARY,
     "tiny.csv is separated by semicolons, not commas"),
    ("tab-separated",
     GOOD.replace(",", "\t"), DICTIONARY,
     "tiny.csv is separated by tabs, not commas"),
    ("empty file", "", DICTIONARY, "tiny.csv: the file is empty."),
    ("only blank lines", "\n\n  \n", DICTIONARY, "tiny.csv: the file is empty."),
    ("header only, no rows",
     "patient_id,n_patients,ki67_pct,site\n", DICTIONARY,
     "tiny.csv has a header but no rows"),
    ("a NUL byte", b"patient_id,n_patients,ki67_pct,site\np1,1\x00,2,colon\n", DICTIONARY,
     "tiny.csv contains a NUL byte on line 2: it is not a text file"),
    ("a missing column",
     "patient_id,n_patients,site\np1,12,pancreas\n", DICTIONARY,
     "tiny.csv: missing column(s) ki67_pct."),
    ("an extra column",
     "patient_id,n_patients,ki67_pct,site,comment\np1,12,55,pancreas,x\n", DICTIONARY,
     "tiny.csv: column(s) comment not in the data dictionary."),
    ("a row with too many cells",
     GOOD + "p3,1,2,colon,extra\n", DICTIONARY,
     "tiny.csv, row 4: 5 cells where the header has 4"),
    ("a fractional count",
     GOOD.replace("p2,3,", "p2,2.5,"), DICTIONARY,
     "tiny.csv, row 3, column n_patients: '2.5' is not a whole number."),
    ("a word in a number cell",
     GOOD.replace("p1,12,55,", "p1,12,high,"), DICTIONARY,
     "tiny.csv, row 2, column ki67_pct: 'high' is not a number."),
    ("a decimal comma",
     GOOD.replace("p1,12,55,", 'p1,12,"55,5",'), DICTIONARY,
     "row 2, column ki67_pct: '55,5' is not a number (write a decimal point, not a comma)."),
    ("'nan' typed into a cell",
     GOOD.replace("p1,12,55,", "p1,12,nan,"), DICTIONARY,
     "tiny.csv, row 2, column ki67_pct: 'nan' is not a number (leave the cell empty"),
    ("'inf' typed into a cell",
     GOOD.replace("p1,12,55,", "p1,12,inf,"), DICTIONARY,
     "row 2, column ki67_pct: 'inf' is not a number"),
    ("a value out of range",
     GOOD.replace("p1,12,55,", "p1,12,155,"), DICTIONARY,
     "tiny.csv, row 2, column ki67_pct: 155 is outside the allowed range 0..100."),
    ("a negative count",
     GOOD.replace("p2,3,", "p2,-3,"), DICTIONARY,
     "tiny.csv, row 3, column n_patients: -3 is outside the allowed range 0.."),
    ("a category not allowed",
     GOOD.replace("p2,3,,colon", "p2,3,,pancraes"), DICTIONARY,
     "tiny.csv, row 3, column site: 'pancraes' is not one of pancreas, colon."),
    ("an empty required cell",
     GOOD.replace("p2,3,,colon", "p2,,,colon"), DICTIONARY,
     "tiny.csv, row 3, column n_patients: a value is required but the cell is empty."),
    ("a duplicate key",
     GOOD + "p1,4,,colon\n", DICTIONARY,
     "tiny.csv, column patient_id: duplicate key(s) p1."),
    ("dictionary not UTF-8",
     GOOD, DICTIONARY.replace("Row key.", "Clé.").encode("latin-1"),
     "tiny_dictionary.csv is not UTF-8 text"),
    ("dictionary without its 'allowed' column",
     GOOD, "column,type,unit,required,description\npatient_id,string,,yes,Row key.\n",
     "tiny_dictionary.csv: missing column(s) allowed"),
    ("dictionary with an unknown type",
     GOOD, DICTIONARY.replace("ki67_pct,number", "ki67_pct,float"),
     "tiny_dictionary.csv, row 4: type 'float' is not one of"),
    ("dictionary with required = maybe",
     GOOD, DICTIONARY.replace("site,category,,yes", "site,category,,maybe"),
     "tiny_dictionary.csv, row 5: required 'maybe' is not 'yes' or 'no'."),
]


@pytest.mark.parametrize("what, table, dictionary, fragment", BAD_FILES,
                         ids=[row[0] for row in BAD_FILES])
def test_a_bad_file_gets_a_sentence_naming_it(tmp_path, what, table, dictionary, fragment):
    folder = write(tmp_path, table, dictionary)
    with pytest.raises(ValueError) as err:
        data.load("tiny", data_dir=folder)
    assert fragment in str(err.value)


def test_an_unknown_table_lists_the_tables_that_exist(tmp_path):
    write(tmp_path, GOOD)
    write(tmp_path, GOOD, name="other")
    with pytest.raises(ValueError) as err:
        data.load("tinny", data_dir=tmp_path)
    assert str(err.value) == (f"There is no table 'tinny' in {tmp_path}: the tables are "
                              "other, tiny.")


def test_an_unknown_table_in_data_lists_them_too():
    with pytest.raises(ValueError, match=r"There is no table 'evidense' in data/: the tables "
                                         r"are .*evidence"):
        data.load("evidense")


def test_a_table_named_with_its_suffix_is_found(tmp_path):
    assert len(data.load("tiny.csv", data_dir=write(tmp_path, GOOD))) == 2


@pytest.mark.parametrize("name, fragment", [
    (None, "not None"),
    (3, "not 3"),
    ("", "not ''"),
    ("../data/evidence", "not '../data/evidence'"),
])
def test_a_table_name_that_is_not_a_name(name, fragment):
    with pytest.raises(ValueError, match="A table is named by a word such as 'evidence'") as err:
        data.load(name)
    assert fragment in str(err.value)


def test_a_missing_dictionary_is_named(tmp_path):
    (tmp_path / "tiny.csv").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ValueError, match=r"tiny_dictionary.csv: file not found in"):
        data.load("tiny", data_dir=tmp_path)


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        data.load("tiny", data_dir=tmp_path / "nowhere")


def test_an_edited_file_is_read_again(tmp_path):
    import os

    folder = write(tmp_path, GOOD)
    assert len(data.load("tiny", data_dir=folder)) == 2
    (folder / "tiny.csv").write_text(GOOD + "p3,1,,colon\n", encoding="utf-8")
    stat = (folder / "tiny.csv").stat()
    os.utime(folder / "tiny.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert len(data.load("tiny", data_dir=folder)) == 3
