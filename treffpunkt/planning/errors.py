"""The one error the planner raises for requests it cannot plan."""


class PlanningError(ValueError):
    """A request that is malformed or cannot meet the hard rules.

    The message is one line in plain words that says what to fix; the web app shows it
    to organisers as it is.
    """
