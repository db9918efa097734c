"""What makes a change cheap at 10,000 accounts must never change what is read or written:
the repository's decoded tables and indexes, and the commit that re-encodes only what a
transaction touched, agree with the file after every kind of change."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bc_tui.domain.models import (
    AssetLink,
    AssetType,
    Member,
    MemberStatus,
    RelationStatus,
    RelationType,
    TtAccountRole,
    User,
    UserRole,
)
from bc_tui.store import Store
from bc_tui.store.repository import Repository, _share_values

BC = "bc-1"


def member(user_id: str, role: UserRole = UserRole.STANDARD) -> Member:
    return Member(bc_id=BC, user_id=user_id, user_role=role, relation_status=MemberStatus.BOUND)


ROLES = (TtAccountRole.POST, TtAccountRole.LIVE)


def links_with_roles(path: Path, roles: tuple[TtAccountRole, ...], *handles: str) -> Repository:
    """A file with a TikTok account link of `roles` for each handle, opened afresh (as read
    from the file)."""
    writing = Repository(Store(path))
    with writing.writing() as writer:
        writer.insert_many(
            [
                AssetLink(
                    BC, AssetType.TT_ACCOUNT, h, RelationType.OWNER_BC, RelationStatus.BOUND, roles
                )
                for h in handles
            ]
        )
    writing.store.close()
    return Repository(Store(path))


def on_disk(path: Path) -> dict[str, object]:
    return json.loads(path.read_text("utf-8"))


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    repo = Repository(Store(tmp_path / "bc.json"))
    with repo.writing() as writer:
        writer.insert_many([member(f"u{i}") for i in range(5)] + [User("u0", "Ann", "a@x")])
    return repo


def test_every_kind_of_change_reaches_the_file_as_it_is_in_memory(repo: Repository) -> None:
    path = repo.store.path
    with repo.writing() as writer:  # appends only
        writer.insert(member("u5"))
    with repo.writing() as writer:  # in place
        writer.update(Member, {"user_id": "u1"}, user_role=UserRole.ADMIN)
    with repo.writing() as writer:  # removal, then an append to the same table
        writer.remove(Member, user_id="u2")
        writer.insert(member("u6"))
    with repo.writing() as writer:  # a table that did not exist
        writer.insert(User("u9", "Zed", "z@x"))
    assert on_disk(path) == repo.store.storage.read()
    assert [m.user_id for m in repo.all(Member)] == ["u0", "u1", "u3", "u4", "u5", "u6"]


def test_indexes_follow_updates_inserts_and_removals(repo: Repository) -> None:
    assert repo.count(Member, user_role=UserRole.ADMIN) == 0
    with repo.writing() as writer:
        writer.update(Member, {"user_id": "u3"}, user_role=UserRole.ADMIN)
        assert [m.user_id for m in repo.find(Member, user_role=UserRole.ADMIN)] == ["u3"]
        writer.insert(member("u7", UserRole.ADMIN))
        writer.remove(Member, user_id="u3")
    assert [m.user_id for m in repo.find(Member, user_role="ADMIN")] == ["u7"]
    assert repo.first(Member, user_id="u3") is None


def test_a_rolled_back_change_is_not_read_back(repo: Repository) -> None:
    with pytest.raises(RuntimeError), repo.writing() as writer:
        writer.update(Member, {"user_id": "u0"}, user_role=UserRole.ADMIN)
        writer.insert(member("u8"))
        raise RuntimeError("the use case failed")
    assert repo.first(Member, user_id="u0").user_role is UserRole.STANDARD  # type: ignore[union-attr]
    assert repo.first(Member, user_id="u8") is None
    with repo.writing() as writer:
        writer.insert(member("u8"))
    assert on_disk(repo.store.path) == repo.store.storage.read()


def test_another_process_s_change_is_read_after_refresh(repo: Repository) -> None:
    assert repo.first(Member, user_id="u4") is not None
    with Store(repo.store.path) as other:
        other_repo = Repository(other)
        with other_repo.writing() as writer:
            writer.remove(Member, user_id="u4")
            writer.insert(member("u9"))
    assert repo.store.refresh()
    assert repo.first(Member, user_id="u4") is None
    assert repo.first(Member, user_id="u9") is not None
    with repo.writing() as writer:  # ids continue after the other process's
        writer.insert(member("u10"))
    assert on_disk(repo.store.path) == repo.store.storage.read()
    assert [m.user_id for m in repo.all(Member)] == ["u0", "u1", "u2", "u3", "u9", "u10"]


def test_fields_read_without_objects_agree_with_the_objects(tmp_path: Path) -> None:
    """`values` and the indexes read the stored documents, not the objects: they must decode
    and default exactly as `from_doc` does, for a document written before a field existed
    too."""
    path = tmp_path / "bc.json"
    writing = Repository(Store(path))
    links = [
        AssetLink(BC, AssetType.TT_ACCOUNT, "old", RelationType.OWNER_BC, RelationStatus.BOUND),
        AssetLink(
            BC,
            AssetType.TT_ACCOUNT,
            "new",
            RelationType.OWNER_INDIVIDUAL,
            RelationStatus.PENDING,
            (TtAccountRole.POST, TtAccountRole.LIVE),
            datetime(2026, 11, 26, 5, 0, tzinfo=UTC),
        ),
    ]
    with writing.writing() as writer:
        writer.insert_many(links)
    writing.store.close()
    stored = on_disk(path)
    old = stored["asset_links"]["1"]  # type: ignore[index]
    del old["tt_account_roles"], old["updated_at"]  # as a file from before these fields
    path.write_text(json.dumps(stored), "utf-8")

    repo = Repository(Store(path))
    names = ("asset_id", "relation_status", "tt_account_roles", "updated_at")
    assert repo.values(AssetLink, names) == [
        tuple(getattr(link, name) for name in names) for link in links
    ]
    assert repo.all(AssetLink) == links
    assert [link.asset_id for link in repo.find(AssetLink, tt_account_roles=())] == ["old"]
    assert repo.values(AssetLink, ["asset_id"], updated_at=links[1].updated_at) == [("new",)]
    assert repo.values(AssetLink, ["asset_id"], relation_status="PENDING") == [("new",)]
    with repo.writing() as writer:
        writer.remove(AssetLink, asset_id="old")
    assert repo.values(AssetLink, ["asset_id"], tt_account_roles=()) == []


def test_repeated_values_are_one_object_once_a_table_is_read(repo: Repository) -> None:
    """Sharing repeated values (ids of Business Centers, enums) is what keeps a parsed
    10,000-account file ~4 MB smaller; the values themselves do not change."""
    repo.store.close()
    fresh = Repository(Store(repo.store.path))
    assert [m.user_id for m in fresh.all(Member)] == ["u0", "u1", "u2", "u3", "u4"]
    docs = list(fresh.store.storage.read()["members"].values())
    assert all(doc["bc_id"] is docs[0]["bc_id"] for doc in docs)
    assert all(doc["user_role"] is docs[0]["user_role"] == "STANDARD" for doc in docs)


def test_a_list_of_enum_values_is_decoded_once_and_bad_ones_still_refused(
    tmp_path: Path,
) -> None:
    """Equal stored lists of scopes decode to one shared tuple (the TikTok accounts view
    reads 10,000 of them); a list holding an unknown or unhashable value is refused as
    before."""
    path = tmp_path / "bc.json"
    repo = links_with_roles(path, ROLES, "a", "b")
    first, second = (row[0] for row in repo.values(AssetLink, ["tt_account_roles"]))
    assert first == second == ROLES and first is second
    assert repo.all(AssetLink)[0].tt_account_roles is first
    for bad in (["POST", "NOT_A_SCOPE"], ["POST", {"x": 1}]):
        stored = on_disk(path)
        stored["asset_links"]["2"]["tt_account_roles"] = bad  # type: ignore[index]
        path.write_text(json.dumps(stored), "utf-8")
        reread = Repository(Store(path))
        with pytest.raises(ValueError, match="TtAccountRole"):
            reread.values(AssetLink, ["tt_account_roles"])
        reread.store.close()


def test_an_index_over_a_time_stored_in_another_spelling_still_removes(tmp_path: Path) -> None:
    """Index keys come from the stored values on every path (build, insert, removal), so a
    time a file spells otherwise than bc-tui would ("Z") cannot break a removal."""
    path = tmp_path / "bc.json"
    when = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)
    writing = Repository(Store(path))
    with writing.writing() as writer:
        writer.insert(
            AssetLink(BC, AssetType.TT_ACCOUNT, "x", RelationType.OWNER_BC, RelationStatus.BOUND)
        )
    writing.store.close()
    stored = on_disk(path)
    stored["asset_links"]["1"]["updated_at"] = "2026-11-26T05:00:00Z"  # type: ignore[index]
    path.write_text(json.dumps(stored), "utf-8")
    repo = Repository(Store(path))
    assert repo.find(AssetLink, updated_at=when) == []  # matched as stored, not by instant
    with repo.writing() as writer:
        assert writer.remove(AssetLink, asset_id="x") == 1
    assert repo.find(AssetLink, updated_at=when) == [] and repo.all(AssetLink) == []


def test_equal_stored_lists_are_one_list_and_changing_one_document_leaves_the_rest(
    tmp_path: Path,
) -> None:
    """Equal lists of scopes in the file are kept as one list (10,000 links hold a handful
    of distinct ones); that is safe only because a write replaces a field's value rather
    than changing the list in place."""
    path = tmp_path / "bc.json"
    repo = links_with_roles(path, ROLES, "a", "b", "c")
    assert repo.values(AssetLink, ["asset_id"]) == [("a",), ("b",), ("c",)]
    docs = list(repo.store.storage.read()["asset_links"].values())
    assert docs[0]["tt_account_roles"] is docs[1]["tt_account_roles"] is docs[2]["tt_account_roles"]
    with repo.writing() as writer:
        writer.update(AssetLink, {"asset_id": "b"}, tt_account_roles=(TtAccountRole.POST,))
    assert [link.tt_account_roles for link in repo.all(AssetLink)] == [
        ROLES,
        (TtAccountRole.POST,),
        ROLES,
    ]
    assert [doc["tt_account_roles"] for doc in on_disk(path)["asset_links"].values()] == [  # type: ignore[attr-defined]
        ["POST", "LIVE"],
        ["POST"],
        ["POST", "LIVE"],
    ]


def test_only_lists_of_strings_are_shared() -> None:
    """[1], [1.0] and [True] are equal in Python: shared, a file's [1] would be written back
    as [true]. Such lists are not ours (scopes are strings), and are left as they were."""
    raw = {
        "1": {"tt_account_roles": [True]},
        "2": {"tt_account_roles": [1]},
        "3": {"tt_account_roles": ["POST"]},
        "4": {"tt_account_roles": ["POST"]},
    }
    _share_values(AssetLink, raw)
    assert [type(doc["tt_account_roles"][0]) for doc in raw.values()] == [bool, int, str, str]
    assert raw["3"]["tt_account_roles"] is raw["4"]["tt_account_roles"]
