"""The program around the tabs: start-up, login, the main window, idle lock, settings, fonts."""
