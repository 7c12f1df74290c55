"""Value rules: citizen ID, dates, code tables, profile validation."""

import pytest

from cadre_desk.domain import codes
from cadre_desk.domain.citizen_id import CitizenIdError, parse
from cadre_desk.domain.dates import DateError, age_at, parse_date
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.validation import clean_party, validate_profile_values


@pytest.mark.parametrize(
    ("text", "number", "birth", "gender"),
    [
        ("11010519491231002X", "11010519491231002X", "19491231", "2"),
        ("440524188001010014", "440524188001010014", "18800101", "1"),
        ("11010519491231002x", "11010519491231002X", "19491231", "2"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", "19491231", "2"),
        (" 110105 19491231 002X ", "11010519491231002X", "19491231", "2"),
    ],
)
def test_citizen_id_valid(text, number, birth, gender):
    cid = parse(text)
    assert (cid.number, cid.birth, cid.gender_code) == (number, birth, gender)
    assert cid.region_known


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("110105194912310021", "校验位"),
        ("11010519491231002", "18 位"),
        ("1101051949123100AX", "前 17 位"),
        ("110105194902300024", "不存在"),  # 2月30日, check digit right
    ],
)
def test_citizen_id_invalid(text, message):
    if message == "不存在":
        from cadre_desk.domain.citizen_id import check_char

        text = text[:17] + check_char(text[:17])
    with pytest.raises(CitizenIdError, match=message):
        parse(text)


def test_check_char_of_digits_as_bytes_is_the_weighed_sum_of_the_digits():
    """check_char reads 17 ASCII digits from their bytes; anything else (other digits, a shorter body) as
    before, digit by digit."""
    import random

    from cadre_desk.domain.citizen_id import CHECK_CHARS, WEIGHTS, check_char

    def by_digits(body):
        return CHECK_CHARS[sum(int(d) * w for d, w in zip(body[:17], WEIGHTS, strict=False)) % 11]

    picks = random.Random(7)
    bodies = ["0" * 17, "9" * 17, "11010519491231002", "99999919850101001"]
    bodies += ["".join(picks.choice("0123456789") for _ in range(17)) for _ in range(2000)]
    for body in bodies:
        assert check_char(body) == by_digits(body), body
    assert {check_char(body) for body in bodies} == set(CHECK_CHARS)
    arabic = "١١٠١٠٥١٩٤٩١٢٣١٠٠٢"  # digits of another script: read as digits, as int() reads them
    assert check_char(arabic) == by_digits(arabic) == check_char("11010519491231002")
    assert check_char("11010519491231002X") == check_char("11010519491231002")  # the 18th left out


def test_unknown_region_is_only_a_warning():
    from cadre_desk.domain.citizen_id import check_char

    body = "99999919850101001"
    cid = parse(body + check_char(body))
    assert not cid.region_known and "地区码" in cid.warning


@pytest.mark.parametrize(
    ("value", "expected"),
    [("198510", "198510"), ("19851001", "19851001"), ("1985.10", "198510"), ("1985-10", "198510"),
     ("1985-10-01", "19851001"), ("1985年10月", "198510"), (1985.1, "198510"), (2011.05, "201105"),
     ("１９８５．１０", "198510"), ("", ""), (None, "")],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["1985", "198513", "19850230", "abc", "1850.01"])
def test_parse_date_rejects(value):
    with pytest.raises(DateError):
        parse_date(value)


def test_age_counts_whole_years():
    assert age_at("198510", "20251001") == 40
    assert age_at("198510", "20250901") == 39
    assert age_at("19851015", "20251014") == 39


def test_code_tables_load_from_resources():
    assert codes.table("GB3304").name("01") == "汉族"
    assert codes.table("ZB64").code("大学") == "21"
    assert codes.table("GB4761").name("27A") == "长女婿"
    assert codes.table("GB3304").suggest("汉") == "汉族"


def _values(**over):
    values = {"name": "张三", "gender": "男", "birth": "1985.10", "ethnicity": "汉族", "unit": 1, "status": "在职"}
    values.update(over)
    return values


def test_profile_values_normalized():
    clean, warnings = validate_profile_values(_values(party="2008.01", ft_education="大学"))
    assert clean["gender"] == "1" and clean["ethnicity"] == "01" and clean["birth"] == "198510"
    assert clean["party"] == "200801" and clean["ft_education"] == "21" and clean["status"] == "1"
    assert warnings == {}


def test_ethnicity_short_name_rejected_with_hint():
    with pytest.raises(ValidationError) as info:
        validate_profile_values(_values(ethnicity="汉"))
    assert "汉族" in info.value.errors["ethnicity"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("200108", "200108"), ("2001.08", "200108"), ("民建", "民建"), ("200108；民建", "200108；民建"),
     ("200108;九三学社", "200108；九三"), ("民盟；民建", "民盟；民建"),
     # every 民主党派, by the code table's name, its full name, or as rosters write it
     ("民革", "民革"), ("民盟", "民盟"), ("民进", "民进"), ("农工党", "农工党"), ("致公党", "致公党"),
     ("九三", "九三"), ("台盟", "台盟"), ("中国国民党革命委员会", "民革"), ("中国民主同盟", "民盟"),
     ("中国民主建国会", "民建"), ("中国民主促进会", "民进"), ("2001.08（中国农工民主党）", "200108；农工党"),
     ("中国致公党", "致公党"), ("台湾民主自治同盟", "台盟")],
)
def test_party_field(value, expected):
    assert clean_party(value) == expected


@pytest.mark.parametrize(("written", "code"), [("中共党员", "01"), ("民革", "04"), ("中国民主同盟", "05"),
                                               ("民建", "06"), ("中国民主促进会", "07"), ("农工党", "08"),
                                               ("中国致公党", "09"), ("九三学社", "10"), ("台湾民主自治同盟", "11")])
def test_political_field_reads_every_party_as_rosters_write_it(written, code):
    clean, _ = validate_profile_values(_values(political=written))
    assert clean["political"] == code


@pytest.mark.parametrize(("party", "political", "expected"),
                         [("致公党", "", "09"), ("九三学社", "", "10"), ("台盟", "", "11"),
                          ("200108；民建", "", ""),  # a 中共党员 in 民建 too: not said which
                          ("200108", "", ""), ("民建", "01", "01")])  # what is given stays
def test_political_left_empty_is_the_party_that_party_date_names(party, political, expected):
    """A .lrmx file has no 政治面貌: its 入党时间 致公党 says it (and was left empty)."""
    clean, _ = validate_profile_values(_values(party=party, political=political))
    assert clean["political"] == expected


@pytest.mark.parametrize("code", ["04", "05", "06", "07", "08", "09", "10", "11"])
def test_form_party_names_the_democratic_party_of_political(code):
    """The 任免表's 入党时间 of a 民主党派 member whose 入党时间 is empty: the party's short name."""
    from cadre_desk.domain.fields import form_party

    name = codes.table("GB4762").name(code)
    assert form_party({"party": "", "political": code}) == name
    assert form_party({"party": "200108", "political": code}) == "200108"  # as stored
    assert form_party({"party": "", "political": "13"}) == "" and form_party({"political": "12"}) == ""


@pytest.mark.parametrize("value", ["共产党", "200108；200201", "群众"])
def test_party_field_rejects(value):
    with pytest.raises(ValueError):
        clean_party(value)


def test_id_number_must_agree_with_birth_and_gender():
    with pytest.raises(ValidationError) as info:
        validate_profile_values(_values(id_number="11010519491231002X"))
    assert set(info.value.errors) == {"birth", "gender"}
    clean, _ = validate_profile_values(_values(id_number="11010519491231002x", birth="", gender=""))
    assert clean["birth"] == "194912" and clean["gender"] == "2" and clean["id_number"] == "11010519491231002X"


def test_max_length_and_required():
    with pytest.raises(ValidationError) as info:
        validate_profile_values(_values(name="", native_place="很" * 19))
    assert "姓名" in info.value.errors["name"] and "18" in info.value.errors["native_place"]


def test_every_error_reported_at_once():
    with pytest.raises(ValidationError) as info:
        validate_profile_values(_values(birth="1985", ethnicity="汉", work_start="abc"))
    assert {"birth", "ethnicity", "work_start"} <= set(info.value.errors)


def test_pinyin_table_agrees_with_pypinyin():
    """The shipped initials table (tools/make_pinyin_table.py) gives what pypinyin gives."""
    import random

    pypinyin = pytest.importorskip("pypinyin")
    from cadre_desk.domain import pinyin

    rng = random.Random(11)
    chars = "张三赵犇曾国藩王䶮李四钱多多覃单解朴" + "".join(chr(rng.randint(0x3400, 0x9FFF)) for _ in range(400))
    table = pinyin._table()
    assert len(table) == pinyin._LAST - pinyin._FIRST + 1
    for char in chars:
        result = pypinyin.pinyin(char, style=pypinyin.Style.FIRST_LETTER, heteronym=False, errors="ignore")
        expected = result[0][0].lower() if result and result[0] else ""
        expected = expected if len(expected) == 1 and expected.isalpha() else ""
        assert pinyin._char_initial(char) == expected, char
    assert pinyin.initials("张 三") == "zs"
    assert pinyin.initials("曾国藩") == "zgf"  # surname reading
    assert pinyin.initials("Li Ming") == "liming"
