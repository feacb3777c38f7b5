"""矛盾纠纷 tab: the list, the detail pane and the forms of the dispute follow-up."""
