"""Writes of the account mapping: which ledger accounts make up each category."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from kpis.accounts.extracts import parse_accounts
from kpis.models import Account, Category
from kpis.signals import registers_changed

# --- account mapping ------------------------------------------------------------------


@dataclass
class AccountResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    recategorised: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"Konton: {self.created} nya, {self.updated} ändrade, {self.unchanged} oförändrade."
        ]
        if self.recategorised:
            lines.append(
                "Ny kategori för "
                + ", ".join(self.recategorised)
                + "; månadssummorna är omräknade."
            )
        return lines


def accounts_import(*, data: bytes) -> AccountResult:
    """Create or update the account mapping; accounts absent from the file are kept."""
    frame = parse_accounts(data, Category.values)
    result = AccountResult()
    with transaction.atomic():
        accounts = {a.konto: a for a in Account.objects.all()}
        for row in frame.itertuples(index=False):
            account = accounts.get(row.konto)
            if account is None:
                Account.objects.create(konto=row.konto, name=row.name, category=row.category)
                result.created += 1
            elif (account.name, account.category) != (row.name, row.category):
                if account.category != row.category:
                    result.recategorised.append(row.konto)
                account.name, account.category = row.name, row.category
                account.save(update_fields=["name", "category"])
                result.updated += 1
            else:
                result.unchanged += 1
        if result.recategorised:
            registers_changed.send(sender=None)
    return result
