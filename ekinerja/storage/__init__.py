"""Object storage for evidence files ("bukti dukung"): presigned upload, confirm by HEAD,
presigned download. See docs/decisions/0009-evidence-storage.md."""

from ekinerja.storage.base import (
    ChecksumMismatch,
    ContentTypeMismatch,
    InvalidArgument,
    InvalidKey,
    LinkExpired,
    ListedObject,
    MalformedUpload,
    ObjectStore,
    SignatureInvalid,
    StorageError,
    StorageUnavailable,
    StoredObject,
    TooLarge,
    UploadForm,
    validate_key,
)
from ekinerja.storage.local import LocalStore
from ekinerja.storage.s3 import S3Store
from ekinerja.storage.setup import MissingStorageSecret, store_from_settings

__all__ = [
    "ChecksumMismatch",
    "ContentTypeMismatch",
    "InvalidArgument",
    "InvalidKey",
    "LinkExpired",
    "ListedObject",
    "LocalStore",
    "MalformedUpload",
    "MissingStorageSecret",
    "ObjectStore",
    "S3Store",
    "SignatureInvalid",
    "StorageError",
    "StorageUnavailable",
    "StoredObject",
    "TooLarge",
    "UploadForm",
    "store_from_settings",
    "validate_key",
]
