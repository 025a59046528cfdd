"""The cost calculus of the essay on +, *, relu programs (issue 8): syntax, costs,
equivalence and minimum-cost search."""
