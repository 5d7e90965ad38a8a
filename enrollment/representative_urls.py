"""The patient's Representatives page, under /account/representatives/ (names not namespaced,
as the navigation has always used them). Accesses and invitations are addressed by their random
code, never by their integer key."""

from django.urls import path

from enrollment import representative_views as representatives

urlpatterns = [
    path("", representatives.representatives, name="representatives"),
    path("invite/", representatives.invite, name="representative_invite"),
    path("invitations/<uuid:code>/cancel/", representatives.cancel_invitation,
         name="representative_invitation_cancel"),
    path("<uuid:code>/rights/", representatives.edit_rights,
         name="representative_edit_rights"),
    path("<uuid:code>/revoke/", representatives.revoke,
         name="representative_revoke"),
]
