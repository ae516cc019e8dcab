"""After the scorecards: findings and CI gates, exports, history and the portfolio.

Everything here reads scorecards (the contract), never a capture: the stage
after ``score``, beside ``render``.
"""
