"""The inspection draw's files: what the readers accept and refuse, and the bytes the writer produces."""

import hashlib

import pytest

from tuoyu.engines.inspection import (
    Conflict,
    Draw,
    InspectionInputError,
    Inspector,
    Institution,
    Team,
    draw,
)
from tuoyu.engines.inspection.csvio import (
    draw_csv,
    read_conflicts,
    read_draw,
    read_inspectors,
    read_institutions,
)

SEED = hashlib.sha256(b"csvio").hexdigest()


def test_institutions_are_read_with_or_without_strata():
    plain, lines = read_institutions(b"id\nJG01\n\nJG02\n")
    assert plain == [Institution("JG01"), Institution("JG02")] and lines == [2, 4]
    strata, _ = read_institutions("\ufeffid,stratum,名称\nJG01,高风险,阳光托育\nJG02,,\n".encode())
    assert strata == [Institution("JG01", "高风险"), Institution("JG02", None)]


def test_inspectors_and_conflicts_are_read_trimmed():
    staff, _ = read_inspectors(b"id,department\n H1 , health\nF1,fire\n")
    assert staff == [Inspector("H1", "health"), Inspector("F1", "fire")]
    conflicts, _ = read_conflicts(b"institution,inspector\nJG01,H1\n")
    assert conflicts == [Conflict("H1", "JG01")]


def test_a_missing_column_is_refused_on_the_header_line():
    with pytest.raises(InspectionInputError) as caught:
        read_inspectors(b"\nid,dept\nH1,health\n")
    assert "表头缺少必需的列：department" in caught.value.zh
    assert (caught.value.table, caught.value.line) == ("inspectors", 2)


def test_a_row_with_too_many_fields_is_refused_with_its_line():
    with pytest.raises(InspectionInputError) as caught:
        read_conflicts(b"inspector,institution\nH1,JG01\nH2,JG02,x\n")
    assert (caught.value.table, caught.value.line) == ("conflicts", 3)


def test_a_file_that_is_not_utf8_is_refused():
    with pytest.raises(InspectionInputError) as caught:
        read_institutions("id\n机构一\n".encode("gbk"))
    assert "不是UTF-8编码" in caught.value.zh


def test_the_draw_is_written_with_newlines_semicolons_and_quotes_only_where_needed():
    result = Draw(
        seed=SEED,
        teams=(Team("JG01", ("H1", "F1")), Team("托育,中心", ("H2",))),
        quotas=(),
        loads={},
        load_floor=0,
        load_ceiling=1,
    )
    assert draw_csv(result) == 'institution,inspectors\nJG01,H1;F1\n"托育,中心",H2\n'.encode()


def test_a_written_draw_reads_back_as_the_same_teams():
    pool = [Institution(f"JG{k}") for k in range(8)]
    staff = [Inspector(f"H{k}", "health") for k in range(4)]
    result = draw(pool, staff, targets=3, team_size=2, seed=SEED)
    teams, lines = read_draw(draw_csv(result))
    assert tuple(teams) == result.teams and lines == [2, 3, 4]


def test_a_published_draw_with_an_empty_member_is_refused_with_its_line():
    with pytest.raises(InspectionInputError) as caught:
        read_draw(b"institution,inspectors\nJG01,H1;;F1\n")
    assert "检查组中有空项" in caught.value.zh and caught.value.line == 2
