"""Operations run on a schedule, not in a conversation: ``python -m ops.retention`` (``make purge``)."""
