"""Who is calling and for which tenant. Token validation and principals arrive with the identity
work (issue 4); today this package only selects the tenant a request asks for."""
