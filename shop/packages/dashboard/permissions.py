"""The permissions of the Sessions dashboard (who reads credits, who changes them)."""

VIEW_PERMISSION = "packages.view_packagecredit"
REDEEM_PERMISSION = "packages.redeem_packagecredit"
# The liability report is the accountants' (the permission of their order exports).
LIABILITY_PERMISSION = "accounting.export_orders"
