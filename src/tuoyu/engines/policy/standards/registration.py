"""Registration: the business scope names childcare, and the right office registered it (P16, P21)."""

from __future__ import annotations

import numpy as np

from tuoyu.engines.policy.findings import PASS, UNKNOWN
from tuoyu.engines.policy.standards.columns import Institution
from tuoyu.engines.policy.standards.conditions import NA, decide, full
from tuoyu.engines.policy.standards.rule import Explained, Values, standard
from tuoyu.engines.policy.vocabulary import LEGAL_FORMS, NATURES, REGISTRATION_AUTHORITIES

_TERMS = "registration.business_scope_terms"


def _scope_explained(s: Institution, p: Values) -> Explained:
    terms = p[_TERMS] or ()
    wanted = "或".join(f"“{t}”" for t in terms)

    def phrase(st: str) -> str:
        if st == UNKNOWN:
            return "登记的业务范围未填报"
        return f"业务范围{'已' if st == PASS else '未'}注明{wanted}"

    return Explained(s.facts.business_scope, list(terms) or None, {"scope": phrase})


@standard(
    "registration.business_scope", "登记业务范围", ("P16",), (_TERMS,), explain=_scope_explained, scope="any"
)
def business_scope(b, p, on):
    terms = p[_TERMS]
    if terms is None:
        return [("scope", full(b.n, NA))]
    found = np.zeros(b.n, dtype=bool)
    for term in terms:
        found |= np.strings.find(b.scope_text, term) >= 0
    return [("scope", decide(~b.inst["scope_known"], found))]


_AUTHORITY = "registration.authority_by_nature"
# Rows of the vectorised authority table: the natures, then the legal forms.
_ENTRY = {**{n: i for i, n in enumerate(NATURES)}, **{f: len(NATURES) + i for i, f in enumerate(LEGAL_FORMS)}}
_OFFICE = {a: i for i, a in enumerate(REGISTRATION_AUTHORITIES)}


def authority_entry(table: dict | None, nature: str | None, legal_form: str | None) -> str | None:
    """The key of the authority table that governs an institution: its legal form when the table
    names it (003 附件2 distinguishes 个体工商户 from 法人), else its nature; None when neither applies."""
    if table is None:
        return None
    if legal_form is not None and legal_form in table:
        return legal_form
    if nature is not None and nature in table:
        return nature
    return None


def _authority_explained(s: Institution, p: Values) -> Explained:
    table = p[_AUTHORITY]
    nature, form, authority = s.facts.nature, s.facts.legal_form, s.facts.registered_with
    entry = authority_entry(table, nature, form)
    allowed = None if entry is None else list(table[entry])  # type: ignore[index]

    def phrase(st: str) -> str:
        if st == UNKNOWN:
            return "机构性质未填报" if entry is None else "登记机关未填报"
        if entry in LEGAL_FORMS:
            who = LEGAL_FORMS[entry] + (f"（{NATURES[nature]}）" if nature else "")
        else:
            who = f"{NATURES[entry]}机构"  # type: ignore[index]
        should = "或".join(REGISTRATION_AUTHORITIES[a] for a in allowed or ())
        return f"{who}在{REGISTRATION_AUTHORITIES[authority]}登记（应在{should}登记）"  # type: ignore[index]

    return Explained(authority, allowed, {"authority": phrase})


@standard(
    "registration.authority", "登记机关", ("P21",), (_AUTHORITY,), explain=_authority_explained, scope="any"
)
def authority(b, p, on):
    table = p[_AUTHORITY]
    if table is None:
        return [("authority", full(b.n, NA))]
    allowed = np.zeros((len(_ENTRY), len(_OFFICE)), dtype=bool)
    covered = np.zeros(len(_ENTRY), dtype=bool)
    for entry, offices in table.items():
        covered[_ENTRY[entry]] = True
        for office in offices:
            allowed[_ENTRY[entry], _OFFICE[office]] = True
    nature, form, office = b.inst["nature"], b.inst["legal_form"], b.inst["registered_with"]
    # as authority_entry: the legal form's row when the table has one, else the nature's
    form_row = np.where(form >= 0, form + len(NATURES), 0)
    by_form = (form >= 0) & covered[form_row]
    by_nature = (nature >= 0) & covered[np.maximum(nature, 0)]
    entry = np.where(by_form, form_row, np.where(by_nature, np.maximum(nature, 0), -1))
    return [
        (
            "authority",
            decide((entry < 0) | (office < 0), allowed[np.maximum(entry, 0), np.maximum(office, 0)]),
        )
    ]
