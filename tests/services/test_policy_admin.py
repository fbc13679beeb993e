"""The signed policy in the database and the audit anchor kept outside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kodaira_desktop.policy import PostingPolicy, parse_policy
from kodaira_desktop.security import audit_anchor
from kodaira_desktop.services import audit, policy_admin
from kodaira_desktop.services.context import AppContext, ServiceError


def test_the_default_policy_text_is_the_citys_rules() -> None:
    assert parse_policy(policy_admin.DEFAULT_POLICY_TOML).config == PostingPolicy.default().config


def test_init_stores_a_signed_policy_in_force(office: AppContext) -> None:
    assert policy_admin.policy_in_force(office).config == PostingPolicy.default().config
    record = office.store.latest_policy()
    assert record is not None
    assert record.version == 1


def test_a_policy_signed_by_someone_else_is_refused(office: AppContext) -> None:
    from sqlalchemy import update

    from kodaira_desktop.store.tables import PolicyRow

    with office.database.write() as session:
        session.execute(update(PolicyRow).values(set_by="tanaka"))
    with pytest.raises(ServiceError, match="not signed by a chief"):
        policy_admin.policy_in_force(office)


def test_the_anchor_only_moves_forward(office: AppContext) -> None:
    folder, url = office.paths.config_dir, office.database_url
    audit.record(office, "test.one", "x")
    first = audit_anchor.read_anchor(folder, url)
    assert first.audit_seq > 0
    audit_anchor.advance(folder, url, audit_seq=1, audit_hash="0" * 64)
    assert audit_anchor.read_anchor(folder, url).audit_seq == first.audit_seq
    assert audit.verify(office).ok


def test_the_anchor_file_keeps_no_password(tmp_path: Path) -> None:
    url = "postgresql+psycopg://kodaira:secret-pw@db/kodaira"
    audit_anchor.advance(tmp_path, url, audit_seq=3, audit_hash="a" * 64)
    text = (tmp_path / audit_anchor.ANCHOR_FILE).read_text()
    assert "secret-pw" not in text
    assert audit_anchor.read_anchor(tmp_path, url).audit_seq == 3
