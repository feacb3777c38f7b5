"""义警巡逻 tab: lists of volunteers, teams and routes, the roster grid, generation preview, sign-in."""
