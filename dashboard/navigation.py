"""The menu: grouped, only what the signed-in role can use (org.access decides; each page still
authorizes on its own), and the current page marked. A context processor, so every page built on
base.html gets it; new pages join a group by adding an item here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from org import access
from org.access import Action
from org.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Item:
    label: StrOrPromise
    url: str
    # The beginnings of the URL names it stands for ("tasks:" for all the task pages).
    covers: tuple[str, ...]
    current: bool = False


@dataclass(frozen=True)
class Group:
    label: StrOrPromise
    items: list[Item]

    @property
    def current(self) -> bool:
        return any(item.current for item in self.items)

    @property
    def single(self) -> Item | None:
        """A group of one is shown as a plain link."""
        return self.items[0] if len(self.items) == 1 else None


def _item(label: StrOrPromise, name: str, *covers: str) -> Item:
    return Item(label, reverse(name), covers or (name,))


def _link(label: StrOrPromise, name: str, *covers: str) -> Item:
    """An item whose URL name differs from what it covers."""
    return Item(label, reverse(name), covers)


def _groups(user: User) -> list[Group]:
    manager = access.can_everywhere(user, Action.MANAGE_PROGRAMME)
    reports = (
        [_link(_("Kỳ báo cáo"), "reporting:period_list", "reporting:period_", "reporting:report",
               "reporting:board")]
        if manager or user.unit.is_reporting
        else []
    )  # fmt: skip
    if access.has_anywhere(user, Action.REPORT):
        reports.append(_item(_("Nhập số liệu từ XLSX"), "reporting:figure_import"))
    if manager:
        reports.append(_item(_("Đề nghị điều chỉnh"), "reporting:correction_list"))
    reports.append(_link(_("Báo cáo tổng hợp"), "documents:index", "documents:"))
    results = [
        _link(_("Sản phẩm"), "products:list", "products:"),
        _link(_("Chấm điểm"), "scoring:index", "scoring:"),
    ]
    tasks = [_link(_("Nhiệm vụ"), "tasks:task_list", "tasks:")]
    if manager:  # the programme's set-up: sources, areas, groups (readable by all, by link)
        tasks.append(_link(_("Nguồn, lĩnh vực, nhóm"), "programme:source_list", "programme:"))
    admin = [_link(_("Đơn vị"), "org:unit_list", "org:unit_")]
    if access.has_anywhere(user, Action.MANAGE_ACCOUNTS):
        admin.append(_link(_("Tài khoản"), "org:account_list", "org:account_"))
    return [
        Group(_("Bảng điều hành"), [_item(_("Bảng điều hành"), "dashboard:dashboard")]),
        Group(_("Nhiệm vụ"), tasks),
        Group(_("Chỉ tiêu"), [_link(_("Chỉ tiêu"), "indicators:list", "indicators:")]),
        Group(_("Báo cáo"), reports),
        Group(
            _("Văn bản"), [_link(_("Văn bản chỉ đạo"), "directives:directive_list", "directives:")]
        ),
        Group(_("Đánh giá"), results),
        Group(_("Quản trị") if len(admin) > 1 else _("Đơn vị"), admin),
    ]


def _mark(groups: list[Group], request: HttpRequest) -> list[Group]:
    match = request.resolver_match
    if match is None:
        return groups
    here = match.view_name

    def covered(cover: str) -> bool:
        return here == cover or (cover.endswith((":", "_")) and here.startswith(cover))

    def current(item: Item) -> bool:
        return any(covered(cover) for cover in item.covers)

    marked = []
    for group in groups:
        items = [Item(i.label, i.url, i.covers, current(i)) for i in group.items]
        marked.append(Group(group.label, items))
    return marked


def menu(request: HttpRequest) -> dict[str, Any]:
    """`menu`: the groups of the signed-in user's menu, the current page marked."""
    user = request.user
    if not access.has_anywhere(user, Action.VIEW):
        return {}
    assert isinstance(user, User)
    return {"menu": _mark(_groups(user), request)}
