"""People read Chinese, never codes, slugs or English units; a page a post has no use of is refused
with a reason; a figure a post may not see is absent, not 0."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from tuoyu.domains.filings import services
from tuoyu.engines.policy import RULES
from tuoyu.kernel.accounts.actor import Actor

RULE_ID = re.compile(r"\b(?:" + "|".join(re.escape(rule.id) for rule in RULES) + r")\b")


def _main(html: str) -> str:
    """The visible text of a page's main part (attributes dropped: data-rule keeps the id for machines)."""
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>", " ", body)


def _accepted(world, ready_filing):
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    services.filing_accept(
        actor=Actor(user=world.user("regulator_a")),
        filing=filing,
        expected_version=filing.version,
        override_reason="已核实",
    )
    filing.refresh_from_db()
    return filing, actor


def test_findings_show_the_rule_title_and_citation_never_its_id(world, login, ready_filing):
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    page = login(world.user("regulator_a")).get(reverse("filings:detail", args=[filing.pk])).content.decode()
    text = _main(page)
    assert not RULE_ID.search(text)
    assert "班额" in text or "保育比" in text
    assert "可信度" not in text
    assert not re.search(r"\b[PN]\d{2}\b", text)


def test_the_receipt_prints_no_rule_code_and_no_confidence_letter(world, login, ready_filing):
    from pypdf import PdfReader

    filing, actor = _accepted(world, ready_filing)
    response = login(actor.user).get(reverse("filings:receipt", args=[filing.pk]))
    text = (
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        .replace(" ", "")
        .replace("\n", "")
    )
    assert "基本条件告知书" in text
    for rule in RULES:
        assert rule.id not in text
    assert "可信度" not in text
    # An official document cites its sources; how the platform read them is said on its pages only.
    assert "依据：" in text and "原文待核" not in text and "条款未注明" not in text


def test_a_change_filing_lists_its_changes_by_name_and_label(world, login):
    actor = Actor(user=world.user("manager_a"))
    change = services.filing_start(actor=actor, institution=world.inst_a, kind="change")
    services.filing_update(
        actor=actor,
        filing=change,
        changes={"legal_form": "social_service_org", "places": 55},
        signer="甲园长",
    )
    services.filing_update(actor=actor, filing=change, reason="改制")
    page = login(world.user("regulator_a")).get(reverse("filings:detail", args=[change.pk])).content.decode()
    listed = page.split('data-qa="change-list"')[1].split("</ul>")[0]
    assert (
        "法人类型 → 社会服务机构" in listed and "托位数 → 55" in listed and "social_service_org" not in listed
    )


def test_the_audit_trail_names_records_and_fields_in_chinese(world, login, ready_filing):
    _accepted(world, ready_filing)
    text = _main(login(world.user("regulator_a")).get(reverse("audit:trail")).content.decode())
    assert "备案" in text and "托育机构" in text
    for code in (
        "filings.filing",
        "registry.institution",
        "filing_number",
        "receipt_number",
        "enrollment.application",
    ):
        assert code not in text


def test_the_review_queue_reads_its_deadlines_from_the_profile_and_names_no_command(
    world, login, ready_filing
):
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    page = login(world.user("regulator_a")).get(reverse("filings:queue")).content.decode()
    assert "tuoyu calendar" not in page
    assert (
        "5个工作日内出具备案回执" in page
    )  # the national profile's number (备案办法), read from the profile


def test_the_review_queue_follows_a_profile_that_sets_other_clocks(world, login, ready_filing, monkeypatch):
    from tuoyu.domains.filings import rules

    monkeypatch.setattr(rules, "clock_days", lambda profile, on: {"receipt_days": 7, "notice_days": 20})
    page = login(world.user("regulator_a")).get(reverse("filings:queue")).content.decode()
    assert "7个工作日内出具备案回执" in page and "20个工作日内告知" in page


def test_submitting_tells_the_institution_its_dates(world, login, ready_filing):
    filing, actor = ready_filing
    response = login(actor.user).post(
        reverse("filings:submit", args=[filing.pk]), {"version": filing.version}, follow=True
    )
    filing.refresh_from_db()
    assert f"{filing.receipt_due:%Y-%m-%d} 前出具备案回执" in response.content.decode()


@pytest.mark.parametrize("persona", ["inspector_a", "expert_a", "police_a"])
def test_posts_that_may_not_see_children_are_shown_no_enrolment_figure(world, login, persona):
    client = login(world.user(persona))
    home = client.get(reverse("home")).content.decode()
    assert 'data-qa="total-enrolled"' not in home and "在托婴幼儿" not in home and "托位使用率" not in home
    ledger = client.get(reverse("registry:ledger")).content.decode()
    assert '<th class="num">在托</th>' not in ledger


def test_the_regulator_still_sees_enrolment(world, login):
    home = login(world.user("regulator_a")).get(reverse("home")).content.decode()
    assert 'data-qa="total-enrolled"' in home


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("guardian_a", "registry:ledger"),
        ("guardian_a", "registry:export"),
        ("guardian_a", "filings:queue"),
        ("caregiver_a", "filings:queue"),
        ("regulator_a", "enrollment:mine"),
        ("manager_a", "enrollment:mine"),
        ("regulator_a", "registry:calendar"),
        ("guardian_a", "audit:trail"),
    ],
)
def test_a_page_a_post_has_no_use_of_is_refused_with_a_reason_not_shown_empty(world, login, persona, page):
    response = login(world.user(persona)).get(reverse(page))
    assert response.status_code in (403, 404)
    if response.status_code == 403:
        assert "无权访问" in response.content.decode()


def test_a_missing_page_is_a_styled_chinese_404(world, client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-status="404"' in page and "没有找到" in page and "Not Found" not in page


def test_a_bad_query_parameter_is_a_styled_chinese_400(world, login):
    response = login(world.user("regulator_a")).get(reverse("registry:ledger"), {"subdistrict": "²"})
    assert response.status_code == 400
    assert 'data-status="400"' in response.content.decode() and "半角数字" in response.content.decode()


def test_forms_use_chinese_colons_and_one_word_for_an_unanswered_question(world, login):
    page = (
        login(world.user("manager_a"))
        .get(reverse("operations:staff_edit", args=[world.staff_a.pk]))
        .content.decode()
    )
    assert "姓名：</label>" in page and "姓名:</label>" not in page
    assert "未填报" in page and ">未知<" not in page


def test_password_rules_answer_in_chinese(world, login):
    response = login(world.user("manager_a")).post(
        reverse("accounts:password"),
        {"old_password": "correct-horse-battery", "new_password1": "short", "new_password2": "short"},
    )
    assert "密码太短" in response.content.decode() and "too short" not in response.content.decode()


def test_a_suspended_institution_is_not_offered_to_families(world, client):
    from tuoyu.kernel.registry.models import Institution, Status

    Institution.objects.filter(pk=world.inst_a.pk).update(status=Status.SUSPENDED)
    assert "甲托育园" not in client.get(reverse("enrollment:find")).content.decode()
    public = client.get(reverse("registry:public")).content.decode()
    assert "甲托育园" in public and "停业整顿" in public  # still published, with its status


def test_an_institution_opening_the_review_queue_is_sent_to_its_own_filings(world, login):
    response = login(world.user("manager_a")).get(reverse("filings:queue"))
    assert response.status_code == 302 and response.url == reverse("filings:index")


def test_a_decided_filing_shows_its_decision_record(world, login, ready_filing):
    filing, _ = _accepted(world, ready_filing)
    page = login(world.user("regulator_a")).get(reverse("filings:detail", args=[filing.pk])).content.decode()
    assert 'data-qa="decision-record"' in page and "已核实" in page and "未确认" in page


def test_accepting_with_an_unconfirmed_checklist_needs_a_reason(world, ready_filing):
    from tuoyu.errors import DomainError

    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    with pytest.raises(DomainError, match="审核清单有 7 项尚未确认"):
        services.filing_accept(
            actor=Actor(user=world.user("regulator_a")), filing=filing, expected_version=filing.version
        )
