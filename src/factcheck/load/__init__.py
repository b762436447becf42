"""Claims files to typed models, and every FC1xx finding (the file cannot be used, unknown or
duplicate keys, wrong values, duplicate claim ids).

``discover`` finds and reads the files, ``yamltree`` parses them (bounded, with positions),
``model`` is the claims file as typed objects, ``loader`` validates a tree into them. ``vocab``
holds the closed sets of words (statuses, modes, stances) without pydantic, so a run can
start fetching before the models are built.
"""
