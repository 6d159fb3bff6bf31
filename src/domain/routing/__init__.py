"""Routing: which deployment of a model group takes the next attempt, and what happens when it fails.

Everything here is a pure function of the candidates, their live stats (``DeploymentStats``), the
time and an injected random source; the application's ``Router`` does the I/O.
"""

from domain.routing.shuffle import deployment_weight, weighted_pick
from domain.routing.stats import DeploymentStats

__all__ = ["DeploymentStats", "deployment_weight", "weighted_pick"]
