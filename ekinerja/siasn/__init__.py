"""SIASN: final assessment results in the shapes BKN keeps (rw-skp22, rw-kinerjaperiodik;
DOMAIN.md 5.5), for GraphQL and CSV."""
