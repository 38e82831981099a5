"""The people pages: who has an account, inviting someone, and an invitation's link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from oversight import permissions, services
from oversight.forms import InviteForm, RoleForm
from sla_monitor.forms import AccessibleFormMixin
from sla_monitor.models import User
from sla_monitor.pagination import paginate

PEOPLE_PAGE_SIZE = 50
INVITATION_SESSION_KEY = "invitation_token"
SIGN_IN_BACKEND = "sla_monitor.backends.ModelBackend"


def _require_manager(user) -> None:
    if not permissions.manages_people(user):
        raise PermissionDenied


@require_http_methods(["GET"])
def people_list(request):
    _require_manager(request.user)
    filterset, people = permissions.people_page(request.user, request.GET or None)
    pages = paginate(request, people, PEOPLE_PAGE_SIZE)
    return render(
        request,
        "oversight/people_list.html",
        {
            "filter": filterset,
            "people": pages["page_obj"].object_list,
            **pages,
            "administers": permissions.administers(request.user),
        },
    )


def _person(request, pk: int) -> User:
    _require_manager(request.user)
    person = get_object_or_404(permissions.visible_people(request.user), pk=pk)
    if not permissions.can_manage(request.user, person):
        raise PermissionDenied
    return person


@require_http_methods(["GET", "POST"])
def person_deactivate(request, pk: int):
    person = _person(request, pk)
    if request.method == "POST":
        try:
            services.deactivate_person(person=person, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s can no longer sign in.")
                % {"name": person.get_full_name() or person.username},
            )
        return redirect("oversight:people")
    return render(request, "oversight/person_confirm.html", {"person": person, "deactivate": True})


@require_http_methods(["GET", "POST"])
def person_reactivate(request, pk: int):
    person = _person(request, pk)
    if request.method == "POST":
        services.reactivate_person(person=person, by=request.user)
        messages.success(
            request,
            _("%(name)s can sign in again.") % {"name": person.get_full_name() or person.username},
        )
        return redirect("oversight:people")
    return render(request, "oversight/person_confirm.html", {"person": person, "deactivate": False})


@require_http_methods(["GET", "POST"])
def person_role(request, pk: int):
    person = _person(request, pk)
    if not permissions.can_change_role(request.user, person):
        raise PermissionDenied
    form = RoleForm(request.POST or None, by=request.user, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_role(person=person, by=request.user, role=form.cleaned_data["role"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            person.refresh_from_db(fields=["role"])
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {
                    "name": person.get_full_name() or person.username,
                    "role": person.get_role_display().lower(),
                },
            )
            return redirect("oversight:people")
    return render(request, "oversight/person_role.html", {"person": person, "form": form})


@require_http_methods(["GET"])
def invitation_list(request):
    _require_manager(request.user)
    invitations = list(permissions.visible_invitations(request.user).order_by("-created", "-pk"))
    for invitation in invitations:
        invitation.approvable = permissions.can_approve(request.user, invitation)
    return render(
        request,
        "oversight/invitation_list.html",
        {
            "invitations": invitations,
            "awaiting": [
                i for i in invitations if i.approvable and i.state() == i.State.AWAITING_APPROVAL
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def invite(request, organisation_pk: int | None = None):
    _require_manager(request.user)
    organisation = None
    if organisation_pk is not None:
        organisation = get_object_or_404(
            permissions.invitable_organisations(request.user), pk=organisation_pk
        )
    form = InviteForm(request.POST or None, inviter=request.user, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invite_person(
                by=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                organisation=data["organisation"],
                role=data["role"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _invited_message(invitation))
            return redirect("oversight:invitations")
    return render(
        request,
        "oversight/invite.html",
        {
            "form": form,
            "organisation": organisation,
            "invitation_days": settings.INVITATION_DAYS,
            "for_funded_providers": permissions.invites_for_councils(request.user),
        },
    )


def _invited_message(invitation) -> str:
    values = {
        "email": invitation.email,
        "organisation": invitation.organisation.name,
        "days": settings.INVITATION_DAYS,
    }
    if (
        invitation.needs_approval
        and not permissions.administrators_of(invitation.organisation).exists()
    ):
        return (
            _(
                "Another council funds %(organisation)s too, and nobody works for it in SLA "
                "Monitor yet, so the service's administrators decide who joins it first. They "
                "have been asked to approve your invitation to %(email)s; nothing is sent until "
                "they do."
            )
            % values
        )
    if invitation.needs_approval:
        return (
            _(
                "%(organisation)s already has people in SLA Monitor, so its administrators "
                "decide who joins it. They have been asked to approve your invitation to "
                "%(email)s; nothing is sent until they do."
            )
            % values
        )
    if invitation.role == User.Role.PROVIDER_ADMIN and invitation.invited_by.organisation_id != (
        invitation.organisation_id
    ):
        return (
            _(
                "Invitation sent to %(email)s. The link works for %(days)s days. As the first "
                "person of %(organisation)s, they will be its administrator and let its other "
                "people in."
            )
            % values
        )
    return _("Invitation sent to %(email)s. The link works for %(days)s days.") % values


def _invitation_action(request, pk: int, action, done: str):
    _require_manager(request.user)
    invitation = get_object_or_404(permissions.visible_invitations(request.user), pk=pk)
    try:
        action(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect("oversight:invitations")


@require_POST
def invitation_resend(request, pk: int):
    return _invitation_action(
        request, pk, services.resend_invitation, _("A new invitation link was sent to %(email)s.")
    )


@require_POST
def invitation_revoke(request, pk: int):
    return _invitation_action(
        request, pk, services.revoke_invitation, _("The invitation to %(email)s was revoked.")
    )


@require_POST
def invitation_approve(request, pk: int):
    return _invitation_action(
        request,
        pk,
        services.approve_invitation,
        _("The invitation was sent to %(email)s."),
    )


@require_POST
def invitation_decline(request, pk: int):
    return _invitation_action(
        request,
        pk,
        services.decline_invitation,
        _("The invitation to %(email)s was declined; whoever asked has been told."),
    )


# The invited person's side -----------------------------------------------------------------


def _unusable(request, reason: str):
    return render(request, "oversight/invitation_unusable.html", {"reason": reason})


@login_not_required
@never_cache
@require_http_methods(["GET"])
def invitation_link(request, token: str):
    """The link in the e-mail: the token moves into the session and out of the address bar,
    so it is not kept in history or sent on as a referrer."""
    if request.user.is_authenticated:
        return _unusable(
            request,
            _("You are signed in already. Sign out, then open the link from the e-mail again."),
        )
    try:
        services.usable_invitation(token)
    except services.InvitationUnusable as unusable:
        return _unusable(request, unusable.reason)
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("oversight:invitation_accept")


class ChoosePasswordForm(AccessibleFormMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Choose a password")
        self.fields["new_password2"].label = _("Type the password again")
        self.fields["new_password2"].help_text = ""


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request):
    if request.user.is_authenticated:
        return _unusable(
            request,
            _("You are signed in already. Sign out, then open the link from the e-mail again."),
        )
    token = request.session.get(INVITATION_SESSION_KEY, "")
    try:
        invitation = services.usable_invitation(token)
    except services.InvitationUnusable as unusable:
        request.session.pop(INVITATION_SESSION_KEY, None)
        return _unusable(request, unusable.reason)
    newcomer = User(
        username=invitation.email.lower(),
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    form = ChoosePasswordForm(newcomer, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except services.InvitationUnusable as unusable:
            request.session.pop(INVITATION_SESSION_KEY, None)
            return _unusable(request, unusable.reason)
        request.session.pop(INVITATION_SESSION_KEY, None)
        login(request, user, backend=SIGN_IN_BACKEND)
        messages.success(request, _("Your account is ready. Welcome to SLA Monitor."))
        return redirect(reverse("oversight:home"))
    return render(
        request, "oversight/invitation_accept.html", {"form": form, "invitation": invitation}
    )
