from tests.volume_fixtures import final_volume  # noqa: F401  (a fixture)
