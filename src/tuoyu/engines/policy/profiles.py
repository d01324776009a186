"""Policy profiles: dated, cited parameters per locality, inheriting national → province → city → district.

A profile is a YAML file in ``profiles/`` (format in docs/policy.md). Loading validates every file
and the set as a whole; a problem is reported with the file, the key and what is wrong, and nothing
from a broken set is used. A lookup returns the value together with where it comes from (profile,
document, clause, provision, confidence, effective date).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from tuoyu.engines.identifiers import (
    DivisionLevel,
    InvalidIdentifier,
    division_parent,
    validate_division_code,
)
from tuoyu.engines.policy.catalogue import CATALOGUE, REQUIRED_KEYS, BadValue, validate_value
from tuoyu.engines.policy.errors import PolicyInputError, ProfileError, ProfileProblem, UnknownProfile

PROFILES_DIR = Path(__file__).with_name("profiles")

LEVELS = ("national", "province", "city", "district")
CONFIDENCES = ("A", "B", "draft")
_PROVISION = re.compile(r"^[PN]\d{2}$")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_TOP_KEYS = {
    "name",
    "title",
    "level",
    "extends",
    "region",
    "applies_to",
    "aliases",
    "documents",
    "parameters",
    "restates",
}
_ENTRY_KEYS = {"value", "source", "confidence", "note", "until", "retroactive"}
_SOURCE_KEYS = {"doc", "clause", "provision"}
_DOC_KEYS = {"title", "issuer", "date", "number", "seed", "note"}


# --- what a profile holds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Division:
    level: str  # province | city | district
    code: str
    name: str


@dataclass(frozen=True)
class Alias:
    """A division code mapped onto a profile on purpose (a synthetic or renamed division)."""

    code: str
    name: str
    reason: str


@dataclass(frozen=True)
class Document:
    key: str  # how sources cite it: the document number, or a short name when it has none
    title: str
    issuer: str | None
    date: dt.date
    date_precision: str  # day | month | year: how much of ``date`` the document itself states
    number: str | None = None
    seed: str | None = None  # the file number in the specification's seeds/, when it is one
    note: str | None = None


@dataclass(frozen=True)
class Source:
    """Where a parameter value comes from. ``profile`` is the profile file that sets it."""

    key: str
    profile: str
    document: str
    title: str
    clause: str
    provision: str
    confidence: str
    effective: dt.date
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "key": self.key,
            "profile": self.profile,
            "document": self.document,
            "title": self.title,
            "clause": self.clause,
            "provision": self.provision,
            "confidence": self.confidence,
            "effective": self.effective.isoformat(),
        }
        if self.note:
            out["note"] = self.note
        return out

    def citation(self) -> str:
        """Short Chinese citation, e.g. ``泸龙府办发〔2023〕6号 四(一)``, with a note when the wording
        was not read in the official text."""
        return citation(self.document, self.clause, self.confidence)


# How a reader is told that a source is less than the official wording (NATIONAL.md: A, B, draft).
CONFIDENCE_NOTES = {"A": "", "B": "依据为转引资料，原文待核", "draft": "依据为征求意见稿，正式文本待核"}
# What a profile says when a document's article number is not known.
CLAUSE_UNKNOWN = "条款未注明"


def citation(document: str, clause: str, confidence: str = "A", *, formal: bool = False) -> str:
    """A source as people read it. ``formal`` is for documents the department issues: the document
    and a known clause only, without the platform's notes on how the source was read."""
    if formal:
        return f"{document} {'' if clause.startswith(CLAUSE_UNKNOWN) else clause}".strip()
    note = CONFIDENCE_NOTES.get(confidence, "")
    return f"{document} {clause}".strip() + (f"（{note}）" if note else "")


@dataclass(frozen=True)
class Entry:
    start: dt.date
    until: dt.date | None  # exclusive; None = until the next entry
    value: Any  # None ends the value from ``start``
    source: Source | None


@dataclass(frozen=True)
class Param:
    """A looked-up parameter: its value in force on a date, its unit and its source."""

    key: str
    value: Any
    unit: str
    source: Source
    # Local documents restating a national_only value (for display; they never change it).
    restated: tuple[tuple[Any, Source], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {
            "key": self.key,
            "value": jsonable(self.value),
            "unit": self.unit,
            "source": self.source.to_dict(),
        }
        if self.restated:
            out["restated"] = [{"value": jsonable(v), "source": s.to_dict()} for v, s in self.restated]
        return out


_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    """Parameter values as JSON: Decimals as numbers, tuples as lists, dates as ISO strings."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass(eq=False)
class Profile:
    name: str
    title: str
    level: str
    file: str
    parent: Profile | None
    region: dict[str, Division]
    applies_to: tuple[str, ...]
    aliases: tuple[Alias, ...]
    documents: dict[str, Document]
    units: dict[str, str]
    parameters: dict[str, tuple[Entry, ...]]
    restates: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    _cache: dict[tuple[str, dt.date], Param | None] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"<Profile {self.name}>"

    def chain(self) -> list[Profile]:
        """This profile and its ancestors, most specific first."""
        out, profile = [], self
        while profile is not None:
            out.append(profile)
            profile = profile.parent
        return out

    def document(self, key: str) -> Document | None:
        for profile in self.chain():
            if key in profile.documents:
                return profile.documents[key]
        return None

    def lookup(self, key: str, on: dt.date) -> Param | None:
        """The value of ``key`` in force on ``on``, or None when no profile in the chain sets one.

        The most specific profile with a value in force wins; a profile whose own value has ended
        (``null``) or not yet begun defers to its parent.
        """
        try:
            return self._cache[key, on]
        except KeyError:
            pass
        if key not in CATALOGUE:
            raise KeyError(f"unknown parameter key {key!r}")
        if len(self._cache) > 100_000:  # profiles are immutable; the bound only limits memory
            self._cache.clear()
        found = self._cache[key, on] = self._lookup(key, on)
        return found

    def _lookup(self, key: str, on: dt.date) -> Param | None:
        for profile in self.chain():
            entry = _entry_on(profile.parameters.get(key, ()), on)
            if entry is not None and entry.value is not None:
                restated = tuple(
                    (e.value, e.source)
                    for p in self.chain()
                    if (e := _entry_on(p.restates.get(key, ()), on)) is not None and e.value is not None
                )
                return Param(key, entry.value, profile.units[key], entry.source, restated)  # type: ignore[arg-type]
        return None

    def effective(self, on: dt.date) -> list[Param]:
        """Every parameter in force on ``on``, sorted by key."""
        keys = sorted({k for p in self.chain() for k in p.parameters})
        return [param for key in keys if (param := self.lookup(key, on)) is not None]

    def params(self, on: dt.date) -> Params:
        return Params(self, on)

    def division(self) -> Division | None:
        """The division this profile is written for (None for national)."""
        return self.region.get(self.level)

    def info(self) -> dict[str, Any]:
        own = self.division()
        return {
            "name": self.name,
            "title": self.title,
            "level": self.level,
            "extends": self.parent.name if self.parent else None,
            "division": own.code if own else None,
            "region": {level: {"code": d.code, "name": d.name} for level, d in self.region.items()},
            "applies_to": list(self.applies_to),
            "aliases": [{"code": a.code, "name": a.name, "reason": a.reason} for a in self.aliases],
            "documents": [
                {
                    "key": d.key,
                    "title": d.title,
                    "issuer": d.issuer,
                    "date": d.date.isoformat(),
                    "date_precision": d.date_precision,
                    "number": d.number,
                    "seed": d.seed,
                }
                for d in self.documents.values()
            ],
        }


def _entry_on(entries: Iterable[Entry], on: dt.date) -> Entry | None:
    found = None
    for entry in entries:
        if entry.start > on:
            break
        found = entry
    if found is not None and found.until is not None and on >= found.until:
        return None
    return found


class Params:
    """A profile's parameters on one date, with a cache. ``recorder()`` gives a recording view."""

    def __init__(self, profile: Profile, on: dt.date):
        self.profile = profile
        self.on = on
        self._cache: dict[str, Param | None] = {}

    def get(self, key: str) -> Param | None:
        try:
            return self._cache[key]
        except KeyError:
            param = self._cache[key] = self.profile.lookup(key, self.on)
            return param

    def value(self, key: str, default: Any = None) -> Any:
        param = self.get(key)
        return default if param is None else param.value

    def recorder(self) -> Recorder:
        return Recorder(self)


class Recorder:
    """Records every lookup made through it, so what a finding rests on is cited automatically."""

    __slots__ = ("asked", "params", "used")

    def __init__(self, params: Params):
        self.params = params
        self.used: list[Param] = []
        self.asked: list[str] = []

    def get(self, key: str) -> Param | None:
        param = self.params.get(key)
        self.asked.append(key)
        if param is not None and all(param is not seen for seen in self.used):
            self.used.append(param)
        return param

    def value(self, key: str, default: Any = None) -> Any:
        param = self.get(key)
        return default if param is None else param.value


# --- loading and validation -------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML that refuses duplicate keys (PyYAML would silently keep the last one)."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Problems:
    def __init__(self, file: str):
        self.file = file
        self.items: list[ProfileProblem] = []

    def add(self, key: str, zh: str, en: str) -> None:
        self.items.append(ProfileProblem(self.file, key, zh, en))


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


@dataclass
class _Raw:
    """A parsed but not yet linked profile file."""

    name: str
    file: str
    data: dict


def _read(path: Path, problems: _Problems) -> dict | None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 — _Loader is a SafeLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        problem = getattr(error, "problem", None) or str(error)
        problems.add(where, f"YAML 格式错误：{problem}", f"invalid YAML: {problem}")
        return None
    except (OSError, UnicodeDecodeError) as error:
        problems.add("(file)", f"无法读取：{error}", f"cannot read: {error}")
        return None
    if not isinstance(data, dict):
        problems.add("(file)", "顶层应为映射", "the top level must be a mapping")
        return None
    return data


def _check_region(data: dict, level: str, problems: _Problems) -> dict[str, Division]:
    region: dict[str, Division] = {}
    raw = data.get("region")
    if level == "national":
        if raw not in (None, {}):
            problems.add("region", "全国配置不应设 region", "the national profile has no region")
        return region
    if not isinstance(raw, dict):
        problems.add(
            "region",
            "缺少 region（省、市、区县的名称和行政区划代码）",
            "region (names and division codes) is missing",
        )
        return region
    wanted = LEVELS[1 : LEVELS.index(level) + 1]
    for extra in set(raw) - set(wanted):
        problems.add(
            f"region.{extra}",
            f"层级 {extra!r} 不属于 {level} 配置",
            f"level {extra!r} does not belong to a {level} profile",
        )
    expected_level = {"province": "province", "city": "city", "district": "county"}
    previous: str | None = None
    for lvl in wanted:
        item = raw.get(lvl)
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("code"), str)
            or not isinstance(item.get("name"), str)
        ):
            problems.add(
                f"region.{lvl}",
                '应为 {code: "6位代码", name: 名称}',
                'must be {code: "6-digit code", name: name}',
            )
            return {}
        code = item["code"]
        try:
            validate_division_code(code, level=DivisionLevel(expected_level[lvl]))
        except InvalidIdentifier as error:
            problems.add(f"region.{lvl}.code", str(error), f"invalid {lvl} division code {code!r}")
            return {}
        if previous is not None and division_parent(code) != previous:
            problems.add(
                f"region.{lvl}.code",
                f"{code} 不属于上一级 {previous}",
                f"{code} does not lie within the level above ({previous})",
            )
        region[lvl] = Division(lvl, code, item["name"])
        previous = code
    return region


# Whether division ``code`` is ``prefix_code`` or lies within it.
def _covers(prefix_code: str, code: str) -> bool:
    probe: str | None = code
    while probe is not None:
        if probe == prefix_code:
            return True
        probe = division_parent(probe)
    return False


def _check_documents(data: dict, problems: _Problems) -> dict[str, Document]:
    out: dict[str, Document] = {}
    raw = data.get("documents") or {}
    if not isinstance(raw, dict):
        problems.add("documents", "应为 文件简称: {...} 的映射", "must map document keys to descriptions")
        return out
    for key, item in raw.items():
        where = f"documents.{key}"
        if not isinstance(item, dict):
            problems.add(where, "应为映射", "must be a mapping")
            continue
        for extra in set(item) - _DOC_KEYS:
            problems.add(f"{where}.{extra}", "未知字段", "unknown field")
        missing = [f for f in ("title", "date") if not item.get(f)]
        if missing:
            problems.add(where, f"缺少 {'、'.join(missing)}", f"missing {', '.join(missing)}")
            continue
        raw_date = item["date"]
        if _is_date(raw_date):
            day, precision = raw_date, "day"
        elif isinstance(raw_date, str) and re.fullmatch(r"\d{4}-\d{2}", raw_date):
            day, precision = dt.date(int(raw_date[:4]), int(raw_date[5:]), 1), "month"
        elif isinstance(raw_date, int) and not isinstance(raw_date, bool) and 1900 <= raw_date <= 2100:
            day, precision = dt.date(raw_date, 1, 1), "year"
        else:
            problems.add(f"{where}.date", "应为日期、“YYYY-MM”或年份", "must be a date, 'YYYY-MM' or a year")
            continue
        out[str(key)] = Document(
            str(key),
            item["title"],
            item.get("issuer"),
            day,
            precision,
            item.get("number"),
            item.get("seed"),
            item.get("note"),
        )
    return out


def _parse_entries(
    raw: Any,
    where: str,
    key: str,
    profile: str,
    documents: Mapping[str, Document],
    problems: _Problems,
) -> tuple[Entry, ...]:
    spec = CATALOGUE[key]
    if not isinstance(raw, dict) or not raw:
        problems.add(
            f"{where}.values",
            "应为 生效日期: {value, source} 的映射",
            "must map effective dates to {value, source}",
        )
        return ()
    entries: list[Entry] = []
    previous: Entry | None = None
    for start, item in raw.items():
        at = f"{where}.values.{start}"
        if not _is_date(start):
            problems.add(
                at, "键应为生效日期（YYYY-MM-DD）", "each key must be an effective date (YYYY-MM-DD)"
            )
            continue
        if previous is not None and start <= previous.start:
            problems.add(at, "生效日期应按先后排列", "effective dates must be in ascending order")
            continue
        if previous is not None and previous.until is not None and start < previous.until:
            problems.add(
                at,
                f"与上一条（有效至 {previous.until}）日期重叠",
                f"overlaps the previous value (in force until {previous.until})",
            )
            continue
        if item is None:
            if previous is None:
                problems.add(
                    at,
                    "第一条不能是 null（null 只用于终止一个值）",
                    "the first entry cannot be null (null ends a value)",
                )
                continue
            previous = Entry(start, None, None, None)
            entries.append(previous)
            continue
        if not isinstance(item, dict):
            problems.add(at, "应为 {value, source} 或 null", "must be {value, source} or null")
            continue
        for extra in set(item) - _ENTRY_KEYS:
            problems.add(f"{at}.{extra}", "未知字段", "unknown field")
        if "value" not in item:
            problems.add(f"{at}.value", "缺少 value", "value is missing")
            continue
        source = item.get("source")
        if not isinstance(source, dict):
            problems.add(
                f"{at}.source",
                "缺少来源（doc、clause、provision）",
                "source (doc, clause, provision) is missing",
            )
            continue
        for extra in set(source) - _SOURCE_KEYS:
            problems.add(f"{at}.source.{extra}", "未知字段", "unknown field")
        doc_key, clause, provision = source.get("doc"), source.get("clause"), source.get("provision")
        if not doc_key or not clause or not provision:
            problems.add(
                f"{at}.source", "来源须有 doc、clause、provision", "a source needs doc, clause and provision"
            )
            continue
        document = documents.get(str(doc_key))
        if document is None:
            problems.add(
                f"{at}.source.doc",
                f"文件 {doc_key!r} 未在 documents 中登记",
                f"document {doc_key!r} is not declared under documents",
            )
            continue
        if not isinstance(provision, str) or not _PROVISION.match(provision):
            problems.add(
                f"{at}.source.provision",
                "条目编号应为 P01…P69 或 N01…N33",
                "provision must be a P or N id such as P07 or N01",
            )
            continue
        confidence = item.get("confidence", "A")
        if confidence not in CONFIDENCES:
            problems.add(f"{at}.confidence", "可信度应为 A、B 或 draft", "confidence must be A, B or draft")
            continue
        until = item.get("until")
        if until is not None and (not _is_date(until) or until <= start):
            problems.add(
                f"{at}.until", "until 应为晚于生效日期的日期", "until must be a date after the effective date"
            )
            continue
        if start < document.date and not item.get("retroactive"):
            problems.add(
                at,
                f"生效日期早于文件日期 {document.date}（如确为追溯生效，请写 retroactive: true）",
                f"takes effect before its document's date {document.date} (add retroactive: true if it is retroactive)",
            )
            continue
        value = item["value"]
        if value is not None:
            try:
                value = validate_value(spec, value)
            except BadValue as error:
                problems.add(f"{at}.value", error.zh, error.en)
                continue
        elif previous is None:
            problems.add(
                at,
                "第一条不能是 null（null 只用于终止一个值）",
                "the first entry cannot be null (null ends a value)",
            )
            continue
        note = item.get("note")
        src = Source(
            key, profile, document.key, document.title, str(clause), provision, confidence, start, note
        )
        previous = Entry(start, until, value, src)
        entries.append(previous)
    return tuple(entries)


def _parse_parameters(
    section: str, data: dict, raw: _Raw, level: str, documents: Mapping[str, Document], problems: _Problems
) -> tuple[dict[str, tuple[Entry, ...]], dict[str, str]]:
    params: dict[str, tuple[Entry, ...]] = {}
    units: dict[str, str] = {}
    block = data.get(section) or {}
    if not isinstance(block, dict):
        problems.add(section, "应为 参数键: {...} 的映射", "must map parameter keys to their definitions")
        return params, units
    for key, spec in block.items():
        where = f"{section}.{key}"
        if key not in CATALOGUE:
            problems.add(
                where,
                "未知的参数键（见 catalogue.py 与 docs/policy.md）",
                "unknown parameter key (see catalogue.py and docs/policy.md)",
            )
            continue
        known = CATALOGUE[key]
        if section == "parameters" and known.national_only and level != "national":
            problems.add(
                where,
                "此参数由国家规定，地方配置只能在 restates 中转述",
                "this key is set by national rules; a local profile may only restate it under restates",
            )
            continue
        if section == "restates" and not known.national_only:
            problems.add(
                where, "restates 只用于转述国家规定的参数", "restates is only for keys set by national rules"
            )
            continue
        if not isinstance(spec, dict):
            problems.add(where, "应为 {unit, values}", "must be {unit, values}")
            continue
        for extra in set(spec) - {"unit", "values"}:
            problems.add(f"{where}.{extra}", "未知字段", "unknown field")
        unit = spec.get("unit")
        if not unit:
            problems.add(f"{where}.unit", "缺少单位", "unit is missing")
            continue
        if unit != known.unit:
            problems.add(
                f"{where}.unit", f"单位应为 {known.unit!r}", f"unit must be {known.unit!r}, not {unit!r}"
            )
            continue
        entries = _parse_entries(spec.get("values"), where, key, raw.name, documents, problems)
        if entries:
            params[key] = entries
            units[key] = unit
    return params, units


class ProfileSet:
    """All profiles of a directory, validated together. Raises ProfileError listing every problem."""

    def __init__(self, directory: Path | str = PROFILES_DIR):
        self.directory = Path(directory)
        self.profiles: dict[str, Profile] = {}
        self._claims: dict[str, str] = {}  # division code → profile name (applies_to and aliases)
        problems: list[ProfileProblem] = []
        raws: dict[str, _Raw] = {}
        paths = sorted(self.directory.glob("*.yaml"))
        if not paths:
            raise ProfileError(
                [ProfileProblem(str(self.directory), "(directory)", "没有配置文件", "no profile files")]
            )
        for path in paths:
            file = path.name
            p = _Problems(file)
            data = _read(path, p)
            if data is not None:
                name = data.get("name")
                if name != path.stem:
                    p.add(
                        "name", f"应与文件名一致：{path.stem!r}", f"must equal the file name: {path.stem!r}"
                    )
                elif not _NAME.match(name):
                    p.add(
                        "name", "只能用小写字母、数字和连字符", "only lowercase letters, digits and hyphens"
                    )
                else:
                    raws[name] = _Raw(name, file, data)
            problems += p.items
        if "national" not in raws and not problems:
            problems.append(
                ProfileProblem("national.yaml", "(file)", "缺少全国配置", "the national profile is missing")
            )
        for name in self._order(raws, problems):
            problems += self._build(raws[name])
        problems += self._check_set()
        if problems:
            raise ProfileError(problems)

    # Names, parents before children; cycles and missing parents are problems.
    @staticmethod
    def _order(raws: dict[str, _Raw], problems: list[ProfileProblem]) -> list[str]:
        order: list[str] = []
        state: dict[str, str] = {}

        def visit(name: str, trail: list[str]) -> bool:
            if state.get(name) == "done":
                return True
            if state.get(name) == "visiting":
                problems.append(
                    ProfileProblem(
                        raws[name].file,
                        "extends",
                        "继承关系成环：" + " → ".join([*trail, name]),
                        "inheritance cycle: " + " -> ".join([*trail, name]),
                    )
                )
                return False
            state[name] = "visiting"
            parent = raws[name].data.get("extends")
            ok = True
            if parent is not None:
                if parent not in raws:
                    problems.append(
                        ProfileProblem(
                            raws[name].file,
                            "extends",
                            f"上级配置 {parent!r} 不存在",
                            f"parent profile {parent!r} does not exist",
                        )
                    )
                    ok = False
                else:
                    ok = visit(parent, [*trail, name])
            state[name] = "done"
            if ok:
                order.append(name)
            return ok

        for name in sorted(raws):
            visit(name, [])
        return order

    def _build(self, raw: _Raw) -> list[ProfileProblem]:
        data = raw.data
        p = _Problems(raw.file)
        for extra in set(data) - _TOP_KEYS:
            p.add(str(extra), "未知的顶层字段", "unknown top-level field")
        level = data.get("level")
        if level not in LEVELS:
            p.add("level", f"应为 {'、'.join(LEVELS)} 之一", f"must be one of {', '.join(LEVELS)}")
            return p.items
        title = data.get("title")
        if not isinstance(title, str) or not title:
            p.add("title", "缺少名称", "title is missing")
        parent_name = data.get("extends")
        parent = self.profiles.get(parent_name) if parent_name else None
        if level == "national":
            if parent_name:
                p.add("extends", "全国配置不继承其他配置", "the national profile extends nothing")
        elif parent is None:
            if not parent_name:
                p.add(
                    "extends",
                    "地方配置须继承上级配置（至少 national）",
                    "a local profile must extend a profile (at least national)",
                )
            return p.items  # a missing or broken parent was reported already
        elif LEVELS.index(parent.level) >= LEVELS.index(level):
            p.add(
                "extends",
                f"上级配置 {parent.name} 的层级（{parent.level}）不高于本配置（{level}）",
                f"parent {parent.name} ({parent.level}) is not above this profile ({level})",
            )
        region = _check_region(data, level, p)
        if parent is not None and region:
            for lvl, division in parent.region.items():
                if lvl in region and region[lvl].code != division.code:
                    p.add(
                        f"region.{lvl}",
                        f"与上级配置 {parent.name} 的 {division.code} 不一致",
                        f"differs from parent {parent.name} ({division.code})",
                    )
        own = region.get(level)
        applies_to: list[str] = []
        raw_applies = data.get("applies_to", [own.code] if own else [])
        if level == "national":
            if data.get("applies_to") or data.get("aliases"):
                p.add(
                    "applies_to",
                    "全国配置是兜底配置，不设 applies_to 或 aliases",
                    "the national profile is the fallback; it has no applies_to or aliases",
                )
            raw_applies = []
        if not isinstance(raw_applies, list):
            p.add("applies_to", "应为行政区划代码列表", "must be a list of division codes")
            raw_applies = []
        for code in raw_applies:
            try:
                code = validate_division_code(str(code))
            except InvalidIdentifier as error:
                p.add("applies_to", str(error), f"invalid division code {code!r}")
                continue
            if own and not _covers(own.code, code):
                p.add(
                    "applies_to",
                    f"{code} 不在本配置的区划 {own.code} 之内",
                    f"{code} lies outside this profile's division {own.code}",
                )
                continue
            applies_to.append(code)
        aliases: list[Alias] = []
        raw_aliases = data.get("aliases") or []
        if not isinstance(raw_aliases, list):
            p.add("aliases", "应为列表", "must be a list")
            raw_aliases = []
        for i, item in enumerate(raw_aliases):
            if not isinstance(item, dict) or not all(
                isinstance(item.get(f), str) and item.get(f) for f in ("code", "name", "reason")
            ):
                p.add(f"aliases[{i}]", "应为 {code, name, reason}", "must be {code, name, reason}")
                continue
            try:
                code = validate_division_code(item["code"])
            except InvalidIdentifier as error:
                p.add(f"aliases[{i}].code", str(error), f"invalid division code {item['code']!r}")
                continue
            if code in applies_to:
                p.add(f"aliases[{i}].code", "已在 applies_to 中", "already listed under applies_to")
                continue
            aliases.append(Alias(code, item["name"], item["reason"]))
        documents = _check_documents(data, p)
        visible = {**(parent_docs(parent) if parent else {}), **documents}
        params, units = _parse_parameters("parameters", data, raw, level, visible, p)
        restates, restate_units = _parse_parameters("restates", data, raw, level, visible, p)
        if level == "national":
            for key in REQUIRED_KEYS:
                entries = params.get(key)
                if not entries:
                    p.add(f"parameters.{key}", "必备参数缺失", "required key is missing")
                elif any(e.value is None for e in entries):
                    p.add(
                        f"parameters.{key}",
                        "必备参数不能以 null 终止（会留下空档）",
                        "a required key cannot be ended by null (it would leave a gap)",
                    )
        if p.items:
            return p.items
        self.profiles[raw.name] = Profile(
            name=raw.name,
            title=title,
            level=level,
            file=raw.file,
            parent=parent,
            region=region,
            applies_to=tuple(applies_to),
            aliases=tuple(aliases),
            documents=documents,
            units={**units, **restate_units},
            parameters=params,
            restates=restates,
        )
        return []

    def _check_set(self) -> list[ProfileProblem]:
        problems = []
        for profile in self.profiles.values():
            for code in [*profile.applies_to, *(a.code for a in profile.aliases)]:
                other = self._claims.get(code)
                if other is not None:
                    problems.append(
                        ProfileProblem(
                            profile.file,
                            "applies_to",
                            f"区划 {code} 已由配置 {other} 认领",
                            f"division {code} is already claimed by profile {other}",
                        )
                    )
                else:
                    self._claims[code] = profile.name
        return problems

    # --- queries ---------------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Profile names, national first, then by level and name."""
        return sorted(self.profiles, key=lambda n: (LEVELS.index(self.profiles[n].level), n))

    def get(self, name: str) -> Profile:
        try:
            return self.profiles[name]
        except KeyError:
            raise UnknownProfile(name, self.names()) from None

    def for_division(self, code: str, overrides: Mapping[str, str] | None = None) -> Profile:
        """The most specific profile covering a division code; national when none does.

        ``overrides`` maps further division codes to profile names (the platform's own mapping,
        e.g. a region row's ``policy_profile``); at the same code it wins over the profiles' claims.
        """
        try:
            code = validate_division_code(str(code))
        except InvalidIdentifier as error:
            raise PolicyInputError(str(error), f"invalid division code {code!r}") from None
        overrides = overrides or {}
        probe: str | None = code
        while probe is not None:
            name = overrides.get(probe) or self._claims.get(probe)
            if name:
                return self.get(name)
            probe = division_parent(probe)
        return self.get("national")


def parent_docs(profile: Profile) -> dict[str, Document]:
    docs: dict[str, Document] = {}
    for p in reversed(profile.chain()):
        docs.update(p.documents)
    return docs


@functools.cache
def default_profiles() -> ProfileSet:
    """The profiles shipped with the package, loaded and validated once per process."""
    return ProfileSet(PROFILES_DIR)


def load_profile(name: str) -> Profile:
    """A shipped profile by name; raises UnknownProfile (a PolicyInputError) for an unknown name."""
    return default_profiles().get(name)


def list_profiles() -> list[Profile]:
    profiles = default_profiles()
    return [profiles.get(name) for name in profiles.names()]


def profile_for_division(code: str, overrides: Mapping[str, str] | None = None) -> Profile:
    """The most specific shipped profile covering ``code`` (6, 9 or 12 digits), else national.

    A profile covers the codes in its ``applies_to`` and ``aliases`` and every division within
    them; ``overrides`` (division code → profile name) lets the platform map further codes.
    """
    return default_profiles().for_division(code, overrides)


def display_value(value: Any) -> str:
    """A parameter value as Chinese text for people: lists joined with 、, yearly targets as 年份: 值."""
    plain = jsonable(value)
    if isinstance(plain, list):
        return "、".join(str(v) for v in plain)
    if isinstance(plain, dict):
        return "，".join(f"{k}: {display_value(v)}" for k, v in plain.items())
    if isinstance(plain, bool):
        return "是" if plain else "否"
    return str(plain)


def diff(a: Profile, b: Profile, on: dt.date) -> list[dict[str, Any]]:
    """Keys whose value in force on ``on`` differs between profiles ``a`` and ``b`` (or is set in one only).

    Each item: ``{key, unit, a, b}`` where ``a``/``b`` is ``{value, source}`` or None.
    """
    pa = {p.key: p for p in a.effective(on)}
    pb = {p.key: p for p in b.effective(on)}
    out = []
    for key in sorted(set(pa) | set(pb)):
        x, y = pa.get(key), pb.get(key)
        if x is not None and y is not None and x.value == y.value:
            continue
        out.append(
            {
                "key": key,
                "unit": (x or y).unit,  # type: ignore[union-attr]
                "a": None if x is None else {"value": jsonable(x.value), "source": x.source.to_dict()},
                "b": None if y is None else {"value": jsonable(y.value), "source": y.source.to_dict()},
            }
        )
    return out
