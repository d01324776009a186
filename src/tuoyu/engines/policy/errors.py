"""The policy engine's exceptions. Each carries a Chinese and an English message.

``PolicyInputError`` is bad input from a caller (facts, dates, profile names); ``ProfileError`` is a
profile file that does not validate. Commands turn both into exit code 2 with one bilingual line.
"""

from __future__ import annotations


class PolicyError(Exception):
    """Base class: ``zh`` and ``en`` are one-line messages for a user."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


class PolicyInputError(PolicyError):
    """Facts, a date, a division code or a profile name the engine cannot use.

    ``path`` locates the offending field in the facts (``classes[2].children``) when there is one.
    """

    def __init__(self, zh: str, en: str, path: str = ""):
        if path:
            zh, en = f"{path}：{zh}", f"{path}: {en}"
        super().__init__(zh, en)
        self.path = path


class UnknownProfile(PolicyInputError):
    def __init__(self, name: str, known: list[str]):
        super().__init__(
            f"未知的政策配置 {name!r}（可用：{'、'.join(known)}）",
            f"unknown policy profile {name!r} (known: {', '.join(known)})",
        )
        self.name = name


class ProfileProblem:
    """One problem in a profile file: where (file, key) and what, in both languages."""

    __slots__ = ("en", "file", "key", "zh")

    def __init__(self, file: str, key: str, zh: str, en: str):
        self.file, self.key, self.zh, self.en = file, key, zh, en

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.en}"

    def __repr__(self) -> str:
        return f"ProfileProblem({self.file!r}, {self.key!r}, {self.en!r})"


class ProfileError(PolicyError):
    """A profile (or set of profiles) that failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[ProfileProblem]):
        first = problems[0]
        more = len(problems) - 1
        zh = f"政策配置文件 {first.file} 的 {first.key} 有误：{first.zh}"
        en = f"policy profile {first.file}, key {first.key}: {first.en}"
        if more:
            zh += f"（另有 {more} 处问题）"
            en += f" (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(zh, en)
        self.problems = problems
