"""Import validation: read user files, check every row against a reference Dataset, and return
domain objects or raise one ImportFailed that lists every problem (file, row, column, value);
and the operation file (``operation_file``).

Pure functions: nothing here touches the database. Import each from its module: the package
loads none of them, so reading an operation file does not load the geometry (shapely, numpy).
"""
