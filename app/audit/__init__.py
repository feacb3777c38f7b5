"""The audit trail: what each officer did (log), its hash chain check, and the audit ledger."""
