"""Small page objects: tests say what a user does, these say where on the page it happens."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page


@dataclass
class LoginPage:
    page: Page

    def open(self) -> LoginPage:
        self.page.goto("/accounts/login/")
        return self

    def sign_in(self, username: str, password: str) -> None:
        self.page.fill("[data-qa=username]", username)
        self.page.fill("[data-qa=password]", password)
        self.page.click("[data-qa=login-submit]")


@dataclass
class RegionalHome:
    page: Page

    def subdistrict_rows(self) -> int:
        return self.page.locator("[data-qa=subdistrict-row]").count()

    def figure(self, name: str) -> str:
        return self.page.locator(f"[data-qa={name}]").inner_text().strip()


@dataclass
class Ledger:
    page: Page

    def open(self) -> Ledger:
        self.page.goto("/institutions/")
        return self

    def search(self, text: str) -> None:
        self.page.fill("[data-qa=ledger-search]", text)

    def count(self) -> int:
        return int(self.page.locator("[data-qa=ledger-count]").inner_text())
