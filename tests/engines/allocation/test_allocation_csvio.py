"""The published CSV formats: what is read is what was written, in any spreadsheet's dialect."""

import datetime as dt

import pytest

from tuoyu.engines.allocation import AllocationInputError, Applicant, Priority, Program, allocate, csvio


def test_inputs_written_for_publication_read_back_unchanged():
    programs = [Program("P1", 3), Program("托班,2", 0, 24, 36)]
    applicants = [
        Applicant("A1", ("P1", "托班,2"), dt.date(2022, 5, 1)),
        Applicant("A2", (), None, "A2"),
        Applicant('A"3', ("P1",), dt.date(2023, 1, 31), "A2"),
    ]
    priorities = [Priority("P1", "A1", -1), Priority("托班,2", 'A"3', 7)]
    assert list(csvio.read_programs(csvio.programs_csv(programs))[0]) == programs
    assert list(csvio.read_applicants(csvio.applicants_csv(applicants))[0]) == applicants
    assert list(csvio.read_priorities(csvio.priorities_csv(priorities))[0]) == priorities


def test_a_result_with_ids_that_need_quoting_reads_back():
    result = allocate(
        [Program("P,1", 1)], [Applicant('a"1', ("P,1",)), Applicant("a\n2", ("P,1",))], seed="q"
    )
    rows = csvio.read_result(csvio.result_csv(result))[0]
    assert {(r.applicant, r.program, r.lottery) for r in rows} == {
        (a, p, k)
        for a, p, k in zip(result.applicant_ids, result.placements, result.lottery_keys, strict=True)
    }


def test_a_spreadsheets_bom_crlf_padding_and_blank_lines_are_accepted():
    data = "\ufeffid , choices\r\n\r\n A1 , P1 | P2 \r\n,\r\nA2,P2\r\n".encode()
    applicants, lines = csvio.read_applicants(data)
    assert list(applicants) == [Applicant("A1", ("P1", "P2")), Applicant("A2", ("P2",))]
    assert lines == [3, 5]


def test_line_numbers_count_physical_lines_across_quoted_line_breaks():
    data = b'id,choices\n"A\n1",P1\nA2,"P1||P2"\n'
    with pytest.raises(AllocationInputError) as error:
        csvio.read_applicants(data)
    assert error.value.line == 4


def test_columns_read_from_csv_are_sequences_of_dataclasses():
    applicants, _ = csvio.read_applicants(b"id,choices,birth_date\nA1,P1|P2,2023-03-04\nA2,,\n")
    assert len(applicants) == 2
    assert applicants[0] == Applicant("A1", ("P1", "P2"), dt.date(2023, 3, 4))
    assert applicants[-1] == Applicant("A2", ())
    assert applicants[0:1] == [applicants[0]]


def test_cutoffs_read_back_as_published():
    result = allocate(
        [Program("A", 1), Program("B", 2), Program("C", 0)],
        [Applicant("x", ("A",)), Applicant("y", ("A", "B"))],
        [Priority("A", "y", 3)],
        seed="c",
    )
    assert tuple(csvio.read_cutoffs(csvio.cutoffs_csv(result))[0]) == result.cutoffs
