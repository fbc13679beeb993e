"""The machine-wide config.toml (CONTRACTS.md §8): precedence, origins, the installers' writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from kodaira_desktop.site_config import (
    SiteConfigError,
    SiteSettings,
    main,
    read_site_config,
    resolve_settings,
    write_site_config,
)

DEFAULT = "sqlite:///default.sqlite3"


def _resolve(folder: Path, env: dict[str, str], option: str | None = None) -> SiteSettings:
    return resolve_settings(folder, env, database_option=option, default_database_url=DEFAULT)


def test_precedence_option_then_environment_then_config_then_default(tmp_path: Path) -> None:
    assert _resolve(tmp_path, {}).database_url.value == DEFAULT
    assert _resolve(tmp_path, {}).database_url.origin == "default"
    (tmp_path / "config.toml").write_text(
        'database_url = "postgresql+psycopg://kodaira@db/kodaira"\ndispatch = false\n',
        encoding="utf-8",
    )
    from_file = _resolve(tmp_path, {})
    assert from_file.database_url.value == "postgresql+psycopg://kodaira@db/kodaira"
    assert from_file.database_url.origin == str(tmp_path / "config.toml")
    assert from_file.dispatch.value is False
    env = {"KODAIRA_DATABASE_URL": "sqlite:///env.sqlite3", "KODAIRA_GUI_DISPATCH": "1"}
    from_env = _resolve(tmp_path, env)
    assert from_env.database_url.value == "sqlite:///env.sqlite3"
    assert from_env.database_url.origin == "environment KODAIRA_DATABASE_URL"
    assert from_env.dispatch.value is True
    assert from_env.dispatch.origin == "environment KODAIRA_GUI_DISPATCH"
    option = _resolve(tmp_path, env, "sqlite:///option.sqlite3").database_url
    assert (option.value, option.origin) == ("sqlite:///option.sqlite3", "command line")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("database_url = ", "not valid TOML"),
        ("dispatch = 1", "dispatch must be true or false"),
        ("database_url = 3", "database_url must be a non-empty string"),
        ("databse_url = 'x'", "unknown setting 'databse_url'"),
    ],
)
def test_a_malformed_config_is_refused_in_one_sentence(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SiteConfigError, match=message):
        read_site_config(tmp_path)


def test_the_installers_writer_keeps_other_settings_and_copies_the_root(tmp_path: Path) -> None:
    site = tmp_path / "ProgramData" / "小平市 設定"
    site.mkdir(parents=True)
    (site / "config.toml").write_text("dispatch = false\n", encoding="utf-8")
    root = tmp_path / "trust-root.toml"
    root.write_text('chief_login = "kacho"\n', encoding="utf-8")
    url = 'postgresql+psycopg://kodaira@db/kodaira?application_name="x\\y"'
    code = main(["--folder", str(site), "--database-url", url, "--trust-root", str(root)])
    assert code == 0
    assert read_site_config(site) == {"dispatch": False, "database_url": url}
    assert (site / "trust-root.toml").read_text(encoding="utf-8") == 'chief_login = "kacho"\n'
    assert sorted(p.name for p in site.iterdir()) == ["config.toml", "trust-root.toml"]


def test_the_writer_refuses_a_missing_root_and_a_control_character(tmp_path: Path) -> None:
    assert main(["--folder", str(tmp_path), "--trust-root", str(tmp_path / "nope")]) == 2
    with pytest.raises(SiteConfigError, match="control character"):
        write_site_config(tmp_path, database_url="sqlite:///a\x07b")
    assert list(tmp_path.iterdir()) == []


def test_this_users_config_comes_after_the_environment_and_before_the_machines(
    tmp_path: Path,
) -> None:
    from kodaira_desktop.site_config import write_user_database_url

    site, user = tmp_path / "site", tmp_path / "user"
    write_site_config(site, database_url="postgresql+psycopg://kodaira@it-server/kodaira")
    written = write_user_database_url(user, "postgresql+psycopg://kodaira@section/kodaira")
    assert written == user / "config.toml"

    def resolve(env: dict[str, str]) -> SiteSettings:
        return resolve_settings(
            site, env, database_option=None, default_database_url=DEFAULT, user_config_dir=user
        )

    chosen = resolve({}).database_url
    assert chosen.value == "postgresql+psycopg://kodaira@section/kodaira"
    assert chosen.origin == str(user / "config.toml")
    env = {"KODAIRA_DATABASE_URL": "sqlite:///env.sqlite3"}
    assert resolve(env).database_url.value == "sqlite:///env.sqlite3"
    write_user_database_url(user, None)  # back to この PC / the machine's setting
    assert resolve({}).database_url.value == "postgresql+psycopg://kodaira@it-server/kodaira"


def test_this_users_config_never_takes_a_password(tmp_path: Path) -> None:
    from kodaira_desktop.site_config import write_user_database_url

    with pytest.raises(SiteConfigError, match="keyring"):
        write_user_database_url(tmp_path, "postgresql+psycopg://kodaira:secret@db/kodaira")
    assert not (tmp_path / "config.toml").exists()
    write_user_database_url(tmp_path, "postgresql+psycopg://kodaira@db/kodaira")
