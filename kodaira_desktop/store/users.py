"""Users, their channel designations, chief keys and sign-in attempts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kodaira_desktop.domain.records import Role, User
from kodaira_desktop.store import convert
from kodaira_desktop.store._base import StoreBase
from kodaira_desktop.store.errors import NotFoundError
from kodaira_desktop.store.tables import ChannelRow, UserChannelRow, UserRow

DEFAULT_MAX_FAILURES = 5
DEFAULT_LOCKOUT = timedelta(minutes=10)


class UserStore(StoreBase):
    def add_user(
        self, login: str, display_name: str, role: Role, channels: Iterable[str] = ()
    ) -> User:
        if role not in ("staff", "chief"):
            raise ValueError(f"unknown role {role!r}")
        with self._db.write() as session:
            row = UserRow(
                login=login,
                display_name=display_name,
                role=role,
                created_at=self._now(),
                active=True,
                failed_attempts=0,
            )
            session.add(row)
            session.flush()
            _replace_designations(session, row.id, channels)
            return _load(session, row)

    def get_user_by_login(self, login: str) -> User | None:
        with self._db.read() as session:
            row = session.scalar(select(UserRow).where(UserRow.login == login))
            return _load(session, row) if row else None

    def list_users(self, *, role: Role | None = None, active_only: bool = False) -> list[User]:
        query = select(UserRow).order_by(UserRow.login)
        if role is not None:
            query = query.where(UserRow.role == role)
        if active_only:
            query = query.where(UserRow.active.is_(True))
        with self._db.read() as session:
            return [_load(session, row) for row in session.scalars(query).all()]

    def set_active(self, login: str, active: bool) -> User:
        with self._db.write() as session:
            row = _locked(session, login)
            row.active = active
            return _load(session, row)

    def set_display_name(self, login: str, display_name: str) -> User:
        with self._db.write() as session:
            row = _locked(session, login)
            row.display_name = display_name
            return _load(session, row)

    def set_designations(self, login: str, channels: Iterable[str]) -> User:
        """Replace the set of channels the user is designated for."""
        with self._db.write() as session:
            row = _locked(session, login)
            _replace_designations(session, row.id, channels)
            return _load(session, row)

    def set_chief_key(
        self,
        login: str,
        *,
        public_key: bytes,
        encrypted_private_key: bytes,
        kdf_params: str,
        endorsed_by: str | None = None,
        endorsement: bytes | None = None,
    ) -> User:
        with self._db.write() as session:
            row = _locked(session, login)
            row.public_key = public_key
            row.encrypted_private_key = encrypted_private_key
            row.kdf_params = kdf_params
            row.endorsed_by = endorsed_by
            row.endorsement = endorsement
            return _load(session, row)

    def record_attempt(
        self,
        login: str,
        succeeded: bool,
        *,
        max_failures: int = DEFAULT_MAX_FAILURES,
        lockout: timedelta = DEFAULT_LOCKOUT,
    ) -> User:
        """Count a password attempt; after ``max_failures`` in a row, lock for ``lockout``.

        Done under the row lock so attempts from two PCs at once are both counted.
        """
        with self._db.write() as session:
            row = _locked(session, login)
            if succeeded:
                row.failed_attempts = 0
                row.locked_until = None
            else:
                row.failed_attempts += 1
                if row.failed_attempts >= max_failures:
                    row.locked_until = self._now() + lockout
            return _load(session, row)


def _locked(session: Session, login: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.login == login).with_for_update())
    if row is None:
        raise NotFoundError(f"no user {login!r}")
    return row


def _replace_designations(session: Session, user_id: int, channels: Iterable[str]) -> None:
    wanted = set(channels)
    known = set(session.scalars(select(ChannelRow.key).where(ChannelRow.key.in_(wanted))))
    if unknown := wanted - known:
        raise NotFoundError(f"no channel {', '.join(sorted(unknown))}")
    session.execute(delete(UserChannelRow).where(UserChannelRow.user_id == user_id))
    session.add_all(UserChannelRow(user_id=user_id, channel_key=key) for key in sorted(wanted))
    session.flush()


def _load(session: Session, row: UserRow) -> User:
    session.flush()
    channels = session.scalars(
        select(UserChannelRow.channel_key).where(UserChannelRow.user_id == row.id)
    )
    return convert.user(row, channels)
