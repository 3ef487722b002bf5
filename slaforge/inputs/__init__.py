"""The boundary where every file a user gives is read: files, YAML, git revisions, and their limits.

- :mod:`~slaforge.inputs.limits`: every limit, in one place (docs/limits.md);
- :mod:`~slaforge.inputs.files`: regular files only, of bounded size, UTF-8, inside their folders;
- :mod:`~slaforge.inputs.yaml`: YAML with the position of every value, bounded in depth and in what
  its aliases expand to, every bad number, date or character a located problem.

The package imports nothing at its top so that :mod:`slaforge.errors` may read the limits.
"""
