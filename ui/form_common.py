"""What the two form bases (ui/households/form_base.py, ui/disputes/form.py) do alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class FormCommon:
    """Mixed in before QDialog. The form keeps ``_loading`` and has ``changed`` and ``revalidate``."""

    def watch(self, *signals) -> None:
        """Re-check the form whenever one of ``signals`` fires (an edit)."""
        for signal in signals:
            signal.connect(self.changed)

    def problems(self) -> dict[str, str]:
        raise NotImplementedError

    def save(self) -> object:
        """Call the service; raise UserError to refuse."""
        raise NotImplementedError

    @contextmanager
    def loading(self) -> Iterator[None]:
        """``with self.loading():`` fills fields without marking the form changed."""
        self._loading = True
        try:
            yield
        finally:
            self._loading = False
            self.revalidate()
