"""入户走访: households, residents, visits, campaigns, visit sheets and the visits ledger."""
