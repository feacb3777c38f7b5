"""审计日志: the station admin's view of the audit trail (``open_audit_view``)."""

from __future__ import annotations

from ui.audit.view import AuditDialog, open_audit_view

__all__ = ["AuditDialog", "open_audit_view"]
