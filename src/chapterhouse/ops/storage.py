"""Where stored files live: a local folder by default, or an S3-compatible object store when
``CHAPTERHOUSE_STORAGE=s3://BUCKET[/PREFIX][?endpoint_url=…&region=…&addressing_style=path]`` is set, so that
several web processes and workers on several machines share one store (django-storages' S3 backend).

Credentials are never part of the URL: boto3 reads ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY`` (or an
instance role) the usual way. Plain Python: the settings module calls it before Django is set up.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

LOCAL = {"BACKEND": "chapterhouse.web.storage.AtomicFileSystemStorage"}
S3_QUERY = {"endpoint_url": "endpoint_url", "region": "region_name", "addressing_style": "addressing_style"}


class StorageURLError(ValueError):
    pass


def default_storage_setting(url: str | None) -> dict:
    if not url:
        return dict(LOCAL)
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise StorageURLError(f"CHAPTERHOUSE_STORAGE={url!r}: expected s3://BUCKET[/PREFIX][?endpoint_url=…] "
                              "or nothing (files in the data folder)")
    query = parse_qs(parts.query)
    unknown = sorted(set(query) - set(S3_QUERY))
    if unknown:
        raise StorageURLError(f"CHAPTERHOUSE_STORAGE: unknown option {unknown[0]!r} (known: {', '.join(S3_QUERY)})")
    options = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "default_acl": None,  # objects stay private; downloads go through chapterhouse's permission checks
        "file_overwrite": False,  # a stored file is never replaced by another of the same name
        "querystring_auth": True,
    }
    options.update({S3_QUERY[key]: values[-1] for key, values in query.items()})
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
