"""Login and roles at every HTTP door (OIDC): tokens verified against the identity provider's
keys, principals with roles and scope, FastAPI dependencies, and the dashboard's login."""

from thidua.auth.principal import ROLES, Place, Principal
from thidua.auth.verify import InvalidToken, TokenVerifier

__all__ = ["ROLES", "InvalidToken", "Place", "Principal", "TokenVerifier"]
