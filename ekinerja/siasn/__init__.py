"""SIASN: final assessment results in the shapes BKN keeps (rw-skp22, rw-kinerjaperiodik;
docs/domain.md 5.5), for GraphQL and CSV."""
