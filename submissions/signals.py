"""Signals of the pipeline, for the layers above it (which submissions never imports)."""

from django.dispatch import Signal

# Sent inside the transaction that published data (a submission, a document import) with
# `countries`: the codes whose data version was raised. Receivers act on commit.
data_published = Signal()
