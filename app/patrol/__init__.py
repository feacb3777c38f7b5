"""义警巡逻: volunteer teams, patrol routes, shifts (the area's service comes with its own issue)."""
