"""Test settings shared by the whole suite: hypothesis without deadlines (CI machines vary in speed), and
numpy's BLAS on one thread: the tests' matrices are small, and on a busy machine a threaded BLAS call can wait
milliseconds for its second thread (the benchmark, not the tests, measures the threaded speed)."""
import os

from hypothesis import HealthCheck, settings
from threadpoolctl import threadpool_limits

threadpool_limits(limits=1, user_api="blas")

settings.register_profile("default", deadline=None, max_examples=40,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True, database=None)
settings.load_profile("ci" if os.environ.get("CI") else "default")
