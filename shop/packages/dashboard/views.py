"""Placeholder, replaced below."""

from django.views.generic import View

CreditListView = CreditDetailView = CreditRedeemView = CreditUndoView = CreditExtendView = View
