"""Accounts in the window: the 账户 menu, the admin's 账户管理 dialog and the password forms."""
