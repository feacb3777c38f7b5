"""Officer accounts: logging in, the first admin of a station, what an admin manages, and the
database key each account unwraps (account, login, first_start, manage, encryption, keyring)."""
