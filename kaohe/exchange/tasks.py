"""The exchange app's background job kinds (autodiscovered by kaohe.jobs)."""

from kaohe.exchange import (
    history_tasks,  # noqa: F401  (history: check and import)
    onboarding_tasks,  # noqa: F401  (onboarding a county)
    scheme_tasks,  # noqa: F401  (scheme files: check and import)
)
