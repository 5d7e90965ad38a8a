"""The patient's Representatives page, under /account/representatives/ (names not namespaced,
as the navigation has always used them)."""

from django.urls import path

from enrollment import representative_views as representatives

urlpatterns = [
    path("", representatives.representatives, name="representatives"),
    path("invite/", representatives.invite, name="representative_invite"),
    path("invitations/<int:pk>/cancel/", representatives.cancel_invitation,
         name="representative_invitation_cancel"),
    path("<int:pk>/rights/", representatives.edit_rights,
         name="representative_edit_rights"),
    path("<int:pk>/revoke/", representatives.revoke,
         name="representative_revoke"),
]
