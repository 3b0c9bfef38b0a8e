from tests.volume_fixtures import final_volume, stored_build  # noqa: F401  (fixtures)
