"""In-app notifications, one row per recipient; e-mail goes out beside them, in digests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One thing to tell one person. Events of the same kind (`key`: 12 reports of a period
    awaiting receipt) fold into the recipient's one unread row, `count` of them, instead of a
    flood; the row is e-mailed in the recipient's next digest while `email_pending`."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(_("nội dung"), max_length=500)
    whole_text = models.TextField(blank=True)  # when `text` had to be cut: the e-mail carries it
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)  # moved on when an event folds in
    read_at = models.DateTimeField(null=True, blank=True)
    key = models.CharField(max_length=120, blank=True)  # what folds together while unread
    count = models.PositiveIntegerField(default=1)
    subject = models.CharField(max_length=200, blank=True)  # the e-mail's, when it is mailed
    email_pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["recipient"], condition=models.Q(email_pending=True), name="notif_pending"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=models.Q(read_at__isnull=True) & ~models.Q(key=""),
                name="notif_one_unread_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.text
