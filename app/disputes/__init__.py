"""矛盾纠纷: register, risk, status flow, mediation and agreements, revisits, statistics."""
