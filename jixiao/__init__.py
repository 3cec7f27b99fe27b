"""jixiao (绩效): the command line and build orchestration."""

import warnings

# pyspark (imported by Great Expectations whenever it is installed, and by the
# Spark engine) warns on import that its pandas API does not fully support
# pandas 3. jixiao never uses that API (the Spark ingest exchanges Arrow
# batches), so operators need not read the warning on every build.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
