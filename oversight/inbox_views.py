"""The inbox: what needs the signed-in person, each notification opened from it, and marking
them all read. Only one's own: another person's notification is not found."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from sla_monitor import inbox
from sla_monitor.pagination import paginate

INBOX_PAGE_SIZE = 25


@require_GET
def inbox_page(request):
    notifications = inbox.visible_notifications(request.user)
    pages = paginate(request, notifications, INBOX_PAGE_SIZE)
    return render(
        request,
        "oversight/inbox.html",
        {
            "entries": inbox.entries(pages["page_obj"].object_list),
            **pages,
            "unread": notifications.filter(read_at__isnull=True).count(),
        },
    )


@require_GET
def inbox_open(request, pk: int):
    """Mark the notification read and go where it leads."""
    notification = get_object_or_404(inbox.visible_notifications(request.user), pk=pk)
    inbox.mark_read(notification=notification, by=request.user)
    if not url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect("oversight:inbox")
    return redirect(notification.link)


@require_POST
def inbox_mark_all_read(request):
    marked = inbox.mark_all_read(by=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            marked,
        )
        % {"count": marked},
    )
    return redirect("oversight:inbox")
