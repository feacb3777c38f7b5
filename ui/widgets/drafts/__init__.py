"""Unsaved forms kept on disk as drafts, so a crash or a forced close loses at most a second of typing.

Each open form with input is written (debounced, atomically) to ``<database stem>-drafts/`` beside
the database file, one JSON file per form: which tab and kind of form, the record it edits (None for
a new one), what is needed to open it again, its field values and the time. A draft is removed
when the form saves or the officer discards it (放弃). When a tab is attached to the database, the
drafts an earlier run left behind are offered in a bar at the top of the tab (恢复 / 放弃).

The drafts hold personal data (names, ID numbers, what was said on a visit): they are kept beside
the database, under its protection, and sealed beside an encrypted one.

- store.py: the drafts folder (``DraftStore``, ``Draft``, ``drafts_dir``), on disk, without Qt;
- sealing.py: encrypting a draft file with a key derived from the database key;
- walk.py: reading and writing a form's input widgets (``widget_values``, ``restore_widgets``);
- keeper.py: keeping one open form's draft (``DraftKeeper``, ``track``);
- banner.py: offering an earlier run's drafts in a tab (``DraftBanner``).
"""

from ui.widgets.drafts.banner import DraftBanner
from ui.widgets.drafts.keeper import DraftKeeper, track
from ui.widgets.drafts.store import Draft, DraftStore, drafts_dir
from ui.widgets.drafts.walk import input_widgets, restore_widgets, widget_values

__all__ = ["Draft", "DraftBanner", "DraftKeeper", "DraftStore", "drafts_dir", "input_widgets", "restore_widgets",
           "track", "widget_values"]
