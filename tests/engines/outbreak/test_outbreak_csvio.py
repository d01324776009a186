"""The check file as the command reads it, and the alerts file as it writes it."""

from __future__ import annotations

import datetime as dt

import pytest

from tuoyu.engines.outbreak import OutbreakInputError, scan
from tuoyu.engines.outbreak.csvio import alerts_csv, read_checks
from tuoyu.engines.outbreak.model import DIAGNOSIS_CODES, NO_CLASS, NO_DIAGNOSIS, SYMPTOM_BITS
from tuoyu.engines.policy import load_profile


def test_columns_in_any_order_with_extra_ones_a_byte_order_mark_and_blank_lines():
    text = (
        "\ufeffdate,child,note,symptoms,class,diagnosis,institution\n"
        "2024-06-03,C1,晨检,fever; rash ,小一班,,JG1\n"
        "\n"
        "2024-06-04, C2 ,午检,,,hfmd,JG1\n"
        "2024-06-04,C1,,cough,小一班,,JG2\n"
    )
    checks, lines = read_checks(text.encode("utf-8"))
    assert lines == [2, 4, 5]
    assert list(checks.institutions) == ["JG1", "JG2"] and list(checks.children) == ["C1", "C2"]
    assert list(checks.classes) == ["小一班", "小一班"]  # one name, two institutions: two classes
    assert checks.class_institution.tolist() == [0, 1]
    assert checks.care_class.tolist() == [0, NO_CLASS, 1]
    assert checks.day.tolist() == [dt.date(2024, 6, 3).toordinal(), *[dt.date(2024, 6, 4).toordinal()] * 2]
    assert checks.symptoms.tolist() == [
        SYMPTOM_BITS["fever"] | SYMPTOM_BITS["rash"],
        0,
        SYMPTOM_BITS["cough"],
    ]
    assert checks.diagnosis.tolist() == [NO_DIAGNOSIS, DIAGNOSIS_CODES["hfmd"], NO_DIAGNOSIS]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("institution,class,child,date,symptoms\n", 1, "表头缺少必需的列：diagnosis"),
        (
            "institution,class,child,date,symptoms,diagnosis\nJG1,A,C1,2024-06-03,,\n,A,C2,2024-06-03,,\n",
            3,
            "机构编号不能为空",
        ),
        ("institution,class,child,date,symptoms,diagnosis\nJG1,A,,2024-06-03,,\n", 2, "幼儿编号不能为空"),
        (
            "institution,class,child,date,symptoms,diagnosis\nJG1,A,C1,2024-06-03,,\nJG1,A,C1,2024-06-31,,\n",
            3,
            "日期“2024-06-31”",
        ),
        ("institution,class,child,date,symptoms,diagnosis\nJG1,A,C1,2024/06/03,,\n", 2, "应为YYYY-MM-DD"),
        (
            "institution,class,child,date,symptoms,diagnosis\nJG1,A,C1,2024-06-03,fever;发热,\n",
            2,
            "未知的症状代码“发热”",
        ),
        (
            "institution,class,child,date,symptoms,diagnosis\nJG1,A,C1,2024-06-03,fever,\nJG1,A,C2,2024-06-03,,Measles\n",
            3,
            "未知的诊断代码“Measles”",
        ),
        (
            "institution,class,child,date,symptoms,diagnosis\nJG1,A,C1,2024-06-03,fever\n",
            2,
            "这一行有5个字段",
        ),
    ],
)
def test_bad_rows_are_refused_naming_the_line(text, line, fragment):
    with pytest.raises(OutbreakInputError) as error:
        read_checks(text.encode("utf-8"))
    assert error.value.line == line and fragment in error.value.zh


def test_a_file_that_is_not_utf8_is_refused():
    with pytest.raises(OutbreakInputError, match="UTF-8"):
        read_checks("institution,class,child,date,symptoms,diagnosis\n".encode("gbk") + "机构".encode("gbk"))


def test_the_alerts_file_has_the_contracted_header_and_one_row_per_alert():
    rows = "".join(f"JG,小一班,C{k},2024-06-03,fever,\n" for k in range(3))
    checks, _ = read_checks(f"institution,class,child,date,symptoms,diagnosis\n{rows}".encode())
    data = alerts_csv(scan(checks, load_profile("national")))
    lines = data.decode("utf-8").split("\n")
    assert lines[0] == "institution,class,rule,first_date,last_date,cases,report_by"
    assert lines[1].startswith("JG,小一班,同一班级同一天内3名及以上婴幼儿出现发热")
    assert lines[1].endswith(",2024-06-03,2024-06-03,3,2024-06-04") and lines[2:] == [""]
    assert alerts_csv([]) == b"institution,class,rule,first_date,last_date,cases,report_by\n"
