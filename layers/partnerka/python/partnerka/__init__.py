"""Partnerka domain package: one sub-package per bounded context, plus `common`."""
